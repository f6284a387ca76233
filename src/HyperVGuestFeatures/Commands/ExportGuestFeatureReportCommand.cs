using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.HyperV;
using HyperVGuestFeatures.Reporting;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Export-GuestFeatureReport: one self-contained HTML file (host summary, VM x feature grid with the
/// Detail on hover, the Degraded/NotSupported rows with their fixes, filters by host, category and
/// state) from piped Get-GuestFeature rows, or from its own probe of the selected VMs. Writing the file
/// follows Out-File: an existing file is replaced unless -NoClobber, a read-only one only with -Force,
/// and -WhatIf/-Confirm ask before anything is read or written.
/// </summary>
[Cmdlet(VerbsData.Export, "GuestFeatureReport", SupportsShouldProcess = true, DefaultParameterSetName = VmSet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportGuestFeatureReportCommand : VmCmdletBase
{
    private const string VmSet = "VM";
    private const string InputSet = "Input";

    private readonly List<GuestFeatureStatus> _rows = new();
    private readonly List<(string Target, string Message)> _problems = new();
    private string _path = string.Empty;

    /// <summary>The HTML file to write.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [Alias("FilePath")]
    public string? Path { get; set; }

    /// <summary>Get-GuestFeature rows; without them the cmdlet probes the selected VMs itself.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
    [ValidateNotNull]
    public GuestFeatureStatus[]? InputObject { get; set; }

    /// <summary>The report's title.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = GuestFeatureException.Format("ReportDefaultTitle");

    /// <summary>Does not replace an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Replaces a read-only file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns the written file (FileInfo).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnBegin()
    {
        _path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            ThrowFailure(GuestFeatureException.Create("ReportPathNotFileSystem", FailureKind.InvalidArgument, Path, Path, provider.Name));
        }

        CheckDestination();
    }

    protected override void OnProcess()
    {
        if (ParameterSetName != InputSet)
        {
            CollectVmRequest();
            return;
        }

        var hostParameters = new[] { nameof(VMName), nameof(VMId), nameof(ComputerName), nameof(CimSession) };
        if (hostParameters.Any(IsCommandLineParameter))
        {
            ThrowFailure(GuestFeatureException.Create("ReportInputAndHost", FailureKind.InvalidArgument, null));
        }

        _rows.AddRange(InputObject!.Where(r => r is not null));
    }

    protected override void OnEnd()
    {
        if (!ShouldProcess(_path, GuestFeatureException.Format("ReportAction")))
        {
            return;
        }

        if (ParameterSetName != InputSet)
        {
            Probe();
        }

        var clock = Stopwatch.StartNew();
        var matrix = FeatureMatrix.From(_rows);
        var html = HtmlReport.Render(matrix, new HtmlReportInfo
        {
            Title = Title,
            GeneratedUtc = DateTime.UtcNow,
            Generator = "HyperVGuestFeatures " + (MyInvocation.MyCommand.Module?.Version ?? typeof(HtmlReport).Assembly.GetName().Version),
            Problems = _problems,
        });

        CheckDestination();
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html);
        try
        {
            if (Force && File.Exists(_path) && (File.GetAttributes(_path) & FileAttributes.ReadOnly) != 0)
            {
                File.SetAttributes(_path, File.GetAttributes(_path) & ~FileAttributes.ReadOnly);
            }

            File.WriteAllBytes(_path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            ThrowFailure(new GuestFeatureException("ReportWriteFailed", e is IOException ? FailureKind.OperationFailed : FailureKind.AccessDenied, _path, GuestFeatureException.Format("ReportWriteFailed", _path, e.Message), e));
        }

        WriteVerbose(GuestFeatureException.Format("ReportWritten", _path, matrix.Rows.Count, matrix.Features.Count, (bytes.Length / 1024.0).ToString("N0", CultureInfo.InvariantCulture), clock.Elapsed.TotalSeconds.ToString("N2", CultureInfo.InvariantCulture)));
        if (PassThru)
        {
            WriteObject(new FileInfo(_path));
        }
    }

    /// <summary>Runs Get-GuestFeature's probe on every host; failures are written and listed in the report.</summary>
    private void Probe()
    {
        var features = FeatureCatalog.Features;
        var perHost = new Dictionary<string, HostReadResult<GuestFeatureStatus>>(StringComparer.OrdinalIgnoreCase);
        var failedHosts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        RunOnHosts(Requests, (host, selection) =>
        {
            try
            {
                var result = FeatureProbe.Probe(host.Client, selection, features, host.Verbose, host.CancellationToken);
                lock (perHost)
                {
                    perHost[host.ComputerName] = result;
                }

                foreach (var failure in result.Failures)
                {
                    host.Error(failure);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (perHost)
                {
                    failedHosts[host.ComputerName] = e.Message;
                }

                throw;
            }
        });

        // In host order, as the hosts were named.
        foreach (var (host, _) in Requests)
        {
            if (perHost.TryGetValue(host.ComputerName, out var result))
            {
                _rows.AddRange(result.Rows);
                _problems.AddRange(result.Failures.Select(f => (host.ComputerName + ": " + f.Target, f.Message)));
            }
            else if (failedHosts.TryGetValue(host.ComputerName, out var message))
            {
                _problems.Add((host.ComputerName, message));
            }
        }
    }

    /// <summary>Out-File's rules for the destination; checked before the work and again before writing.</summary>
    private void CheckDestination()
    {
        if (Directory.Exists(_path))
        {
            ThrowFailure(GuestFeatureException.Create("ReportPathIsDirectory", FailureKind.InvalidArgument, _path, _path));
        }

        var directory = System.IO.Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            ThrowFailure(GuestFeatureException.Create("ReportDirectoryNotFound", FailureKind.NotFound, _path, directory));
        }

        if (!File.Exists(_path))
        {
            return;
        }

        if (NoClobber)
        {
            ThrowFailure(new GuestFeatureException("ReportFileExists", FailureKind.AlreadyExists, _path, GuestFeatureException.Format("ReportFileExists", _path))
            {
                RecommendedAction = GuestFeatureException.Format("ReportFileExistsAction"),
            });
        }

        if (!Force && (File.GetAttributes(_path) & FileAttributes.ReadOnly) != 0)
        {
            ThrowFailure(new GuestFeatureException("ReportFileReadOnly", FailureKind.AccessDenied, _path, GuestFeatureException.Format("ReportFileReadOnly", _path))
            {
                RecommendedAction = GuestFeatureException.Format("ReportFileReadOnlyAction"),
            });
        }
    }
}
