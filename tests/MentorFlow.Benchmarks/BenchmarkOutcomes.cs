namespace MentorFlow.Benchmarks;

/// <summary>How every area ends: the outcomes that were wrong (or targets missed), one per line, and exit code 1.</summary>
internal static class BenchmarkOutcomes
{
    /// <summary>
    /// Prints <paramref name="heading"/> and each failure and sets exit code 1 when there are failures; otherwise prints
    /// <paramref name="allWell"/>, if given.
    /// </summary>
    public static void Report(IReadOnlyCollection<string> failures, string heading = "wrong outcomes:", string? allWell = null)
    {
        if (failures.Count == 0)
        {
            if (allWell is not null)
            {
                Console.WriteLine(allWell);
            }

            return;
        }

        Console.WriteLine(heading);
        foreach (var failure in failures)
        {
            Console.WriteLine($"  - {failure}");
        }

        Environment.ExitCode = 1;
    }
}
