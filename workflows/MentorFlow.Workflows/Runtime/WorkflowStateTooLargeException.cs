using System.Globalization;

namespace MentorFlow.Workflows.Runtime;

/// <summary>An instance state larger than <c>Workflows:MaxStateBytes</c>: the burst that produced it is not stored.</summary>
public sealed class WorkflowStateTooLargeException(long bytes, bool exact, long limit, string? largest = null, long largestBytes = 0) : Exception(string.Create(
    CultureInfo.InvariantCulture,
    $"The workflow instance state would take {(exact ? "" : "at least ")}{bytes:N0} bytes, over the limit of {limit:N0} bytes (setting Workflows:MaxStateBytes).{(largest is null ? "" : $" The largest part is {largest} (at least {largestBytes:N0} bytes).")} Keep large values such as files or long texts out of variables, inputs and outputs, or raise the limit."))
{
    /// <summary>The size found (a lower bound when the state was refused before it was serialized).</summary>
    public long Bytes { get; } = bytes;

    /// <summary>The configured limit in bytes.</summary>
    public long Limit { get; } = limit;
}
