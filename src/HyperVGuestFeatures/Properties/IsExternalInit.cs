// Lets netstandard2.0 code use init accessors and records (FEASIBILITY.md §6: CS0518 otherwise).
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
