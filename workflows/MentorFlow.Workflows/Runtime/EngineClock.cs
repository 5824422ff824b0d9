namespace MentorFlow.Workflows.Runtime;

/// <summary>The engine's time and ids, both from its <see cref="TimeProvider"/>.</summary>
internal static class EngineClock
{
    /// <summary>Now in Unix milliseconds, the unit of lease expiries and timer due times in the database.</summary>
    public static long NowMs(this TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A new time-ordered id (instances, inbox rows, journal rows, lease tokens).</summary>
    public static string NewId(this TimeProvider clock) => Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");
}
