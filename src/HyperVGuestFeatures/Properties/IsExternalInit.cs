// Lets netstandard2.0 code use init accessors and records: netstandard2.0 lacks this type, and the
// compiler refuses init and records without it (CS0518).
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
