using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;
using DocumentKernelInfo = Microsoft.DotNet.Interactive.Documents.KernelInfo;
using DocumentKernelInfos = Microsoft.DotNet.Interactive.Documents.KernelInfoCollection;

namespace MentorFlow.Cli.Notebooks;

/// <summary>Builds the kernel the way the official C# kernel host does: a C# kernel inside a composite kernel.</summary>
public static class NotebookKernelFactory
{
    /// <summary>The name of the only language kernel the runner provides.</summary>
    public const string CSharp = "csharp";

    /// <summary>The kernel names the .ipynb reader and writer know (Polyglot metadata, older language tags, kernelspec).</summary>
    public static DocumentKernelInfos DocumentKernels() =>
        new() { new DocumentKernelInfo(CSharp, "C#", ["c#", "C#"]) };

    /// <summary>A fresh kernel with <c>#r</c>, <c>#r "nuget: …"</c>, helpers such as <c>display</c> and value sharing.</summary>
    public static CompositeKernel Create()
    {
        Formatter.ResetToDefault();
        Formatter.SetPreferredMimeTypesFor(typeof(object), "text/plain", "text/html");

        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, references) =>
            {
                kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();

        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = CSharp;
        return composite;
    }
}
