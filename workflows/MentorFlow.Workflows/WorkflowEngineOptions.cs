using System.ComponentModel.DataAnnotations;
using MentorFlow.Workflows.Activities.Http;

namespace MentorFlow.Workflows;

/// <summary>Engine settings (section <c>Workflows</c> in the server); validated on start.</summary>
public sealed class WorkflowEngineOptions : IValidatableObject
{
    public const string Section = "Workflows";

    /// <summary>Most activity executions one burst may run before it stops with a "step budget" incident (runaway loops).</summary>
    [Range(1, 1_000_000)]
    public int StepBudget { get; set; } = 10_000;

    /// <summary>
    /// How deep flows may run flows they wait for (Execute Workflow, Dispatch Workflow waiting for completion): a child
    /// deeper than this faults its parent's activity instead of starting, so a flow that runs itself ends.
    /// </summary>
    [Range(1, 64)]
    public int MaxWorkflowNesting { get; set; } = 8;

    /// <summary>How long an executor's claim on an instance lasts before another replica may take it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Consecutive failed attempts of a burst (it threw outside an activity, could not be committed, or the process
    /// stopped during it) after which the instance faults with an incident instead of being retried again.
    /// </summary>
    [Range(1, 100)]
    public int MaxBurstFailures { get; set; } = 3;

    /// <summary>Wait before the first retry of a failed burst; it doubles with each further failure up to <see cref="BurstRetryMaxDelay"/>.</summary>
    public TimeSpan BurstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between retries of a failed burst.</summary>
    public TimeSpan BurstRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Largest serialized instance state (variables, inputs, outputs, activity states) in UTF-8 bytes. A burst that
    /// would store more faults the instance with an incident before anything is written.
    /// </summary>
    [Range(1024, 1L << 30)]
    public long MaxStateBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How often a replica looks for instances to recover (expired lease with pending work, queued commands) and overdue timers.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timers due within this window are handed to the Quartz scheduler of this replica.</summary>
    public TimeSpan TimerLookahead { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Run the background sweeper and the Quartz timer scheduler (tests may drive them by hand).</summary>
    public bool EnableBackgroundServices { get; set; } = true;

    /// <summary>Quartz worker threads firing timers on this replica.</summary>
    [Range(1, 64)]
    public int TimerThreads { get; set; } = 4;

    /// <summary>JavaScript time limit per evaluation.</summary>
    public TimeSpan ScriptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>JavaScript memory limit per evaluation, in bytes.</summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long ScriptMemoryLimitBytes { get; set; } = 32 * 1024 * 1024;

    [Range(1, 10_000)]
    public int ScriptRecursionLimit { get; set; } = 64;

    [Range(1, int.MaxValue)]
    public int ScriptStatementLimit { get; set; } = 100_000;

    /// <summary>
    /// Largest text one expression evaluation may produce, in UTF-8 bytes: a Liquid render (its output, and any value
    /// it assigns, captures or gets from a filter), a JavaScript result and any string a script builds with
    /// <c>repeat</c>, <c>padStart</c>/<c>padEnd</c>, <c>join</c>, <c>concat</c> or <c>replace</c> (checked before it
    /// is allocated); JavaScript arrays may not have more elements than this either.
    /// </summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long ExpressionOutputLimitBytes { get; set; } = 1024 * 1024;

    /// <summary>Most statements (tags, outputs, loop iterations) one Liquid render may execute.</summary>
    [Range(100, 10_000_000)]
    public int LiquidStepLimit { get; set; } = 100_000;

    /// <summary>
    /// Largest value an activity may write to one variable or output (serialized JSON, UTF-8 bytes): an output,
    /// <c>SetVariable</c>, a script's <c>setVariable</c>, activity state. Keep it below <see cref="MaxStateBytes"/>
    /// (the whole instance state, checked when it is stored).
    /// </summary>
    [Range(1024, 1L << 30)]
    public long VariableValueLimitBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Most parsed definition versions one process keeps in memory, the least recently used dropped first; a dropped
    /// version is parsed again from its stored JSON when next started, resumed or routed to.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxCachedFlowcharts { get; set; } = 512;

    /// <summary>
    /// Most parsed Liquid templates, and most prepared JavaScript scripts, one process keeps in memory (each), the least
    /// recently used dropped first; a dropped expression is parsed again when next evaluated or validated.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxCachedExpressions { get; set; } = 2048;

    /// <summary>Where flows' HTTP request activities may go, and their limits (section <c>Workflows:Http</c>).</summary>
    public OutboundHttpOptions Http { get; set; } = new();

    /// <summary>Limits of flows answering inbound requests under <c>/workflows</c> (section <c>Workflows:HttpEndpoints</c>).</summary>
    public HttpEndpointOptions HttpEndpoints { get; set; } = new();

    /// <summary>A name for this replica in leases and logs (default: machine name + a random suffix).</summary>
    public string? ReplicaName { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseDuration < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Workflows:LeaseDuration must be at least 1 second.", [nameof(LeaseDuration)]);
        }

        if (BurstRetryDelay <= TimeSpan.Zero || BurstRetryMaxDelay < BurstRetryDelay)
        {
            yield return new ValidationResult("Workflows:BurstRetryDelay must be positive and at most Workflows:BurstRetryMaxDelay.", [nameof(BurstRetryDelay), nameof(BurstRetryMaxDelay)]);
        }

        if (SweepInterval < TimeSpan.FromMilliseconds(100))
        {
            yield return new ValidationResult("Workflows:SweepInterval must be at least 100 ms.", [nameof(SweepInterval)]);
        }

        if (TimerLookahead < SweepInterval)
        {
            yield return new ValidationResult("Workflows:TimerLookahead must be at least Workflows:SweepInterval.", [nameof(TimerLookahead)]);
        }

        if (Http.Timeout <= TimeSpan.Zero || Http.Timeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Workflows:Http:Timeout must be between 0 and 5 minutes.", [nameof(Http)]);
        }

        if (Http.MaxResponseBytes is < 1024 or > 64L * 1024 * 1024 || Http.MaxRequestBytes is < 1024 or > 64L * 1024 * 1024)
        {
            yield return new ValidationResult("Workflows:Http:MaxResponseBytes and MaxRequestBytes must be between 1 KB and 64 MB.", [nameof(Http)]);
        }

        if (HttpEndpoints.MaxRequestBytes is < 1024 or > HttpEndpointOptions.HardCapBytes || HttpEndpoints.MaxResponseBytes is < 1024 or > HttpEndpointOptions.HardCapBytes)
        {
            yield return new ValidationResult("Workflows:HttpEndpoints:MaxRequestBytes and MaxResponseBytes must be between 1 KB and 16 MB.", [nameof(HttpEndpoints)]);
        }

        if (HttpEndpoints.RequestTimeout <= TimeSpan.Zero || HttpEndpoints.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Workflows:HttpEndpoints:RequestTimeout must be between 0 and 5 minutes.", [nameof(HttpEndpoints)]);
        }

        if (HttpEndpoints.RateLimitPermits is < 1 or > 100_000 || HttpEndpoints.RateLimitWindow < TimeSpan.FromSeconds(1) || HttpEndpoints.RateLimitWindow > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Workflows:HttpEndpoints:RateLimitPermits must be between 1 and 100000 and RateLimitWindow between 00:00:01 and 1.00:00:00.", [nameof(HttpEndpoints)]);
        }

        if (ScriptTimeout <= TimeSpan.Zero || ScriptTimeout > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult("Workflows:ScriptTimeout must be between 0 and 1 minute.", [nameof(ScriptTimeout)]);
        }
    }
}
