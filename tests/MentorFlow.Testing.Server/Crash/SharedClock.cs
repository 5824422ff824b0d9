using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Testing.Server.Crash;

/// <summary>
/// A clock the crash harness owns and its child servers follow across kills and restarts: the harness keeps a
/// <see cref="FakeTimeProvider"/> and writes its time (UTC ticks) to a file after every move (write to a temporary file,
/// then rename, so a reader never sees half a value); a child starts its own <see cref="FakeTimeProvider"/> at the
/// file's time and moves it forward whenever the file moves (<see cref="Follow"/>), which fires its timers and delays
/// as the harness's clock would. Time never goes back. Test-only: production code keeps <see cref="TimeProvider.System"/>.
/// </summary>
public sealed class SharedClock : IDisposable
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _follower;

    private SharedClock(string path, FakeTimeProvider clock)
    {
        _path = path;
        Clock = clock;
    }

    /// <summary>The clock itself (the harness moves it; a child's follows the file).</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The harness side: a clock at <paramref name="start"/>, written to <paramref name="path"/>.</summary>
    public static SharedClock Create(string path, DateTimeOffset start)
    {
        var shared = new SharedClock(path, new FakeTimeProvider(start));
        shared.Write(start);
        return shared;
    }

    /// <summary>
    /// The child side: a clock at the file's time that follows the file every <paramref name="interval"/> until
    /// disposed (or the process ends).
    /// </summary>
    public static SharedClock Follow(string path, TimeSpan interval)
    {
        var shared = new SharedClock(path, new FakeTimeProvider(Read(path)));
        shared._follower = new Thread(() => shared.FollowLoop(interval)) { IsBackground = true, Name = "shared-clock" };
        shared._follower.Start();
        return shared;
    }

    /// <summary>Moves the clock (harness side) by <paramref name="span"/> and publishes the new time.</summary>
    public DateTimeOffset Advance(TimeSpan span)
    {
        lock (_gate)
        {
            if (span > TimeSpan.Zero)
            {
                Clock.Advance(span);
                Write(Clock.GetUtcNow());
            }

            return Clock.GetUtcNow();
        }
    }

    /// <summary>Moves the clock to <paramref name="time"/> if that is later than now.</summary>
    public DateTimeOffset AdvanceTo(DateTimeOffset time)
    {
        lock (_gate)
        {
            return Advance(time - Clock.GetUtcNow());
        }
    }

    public static DateTimeOffset Read(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new DateTimeOffset(long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture), TimeSpan.Zero);
            }
            catch (Exception exception) when (attempt < 50 && exception is IOException or FormatException)
            {
                // Between the harness's rename and the read: try again shortly.
                Thread.Sleep(5);
            }
        }
    }

    private void Write(DateTimeOffset time)
    {
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, time.UtcTicks.ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, _path, overwrite: true);
    }

    private void FollowLoop(TimeSpan interval)
    {
        while (!_stop.IsCancellationRequested)
        {
            var time = Read(_path);
            var now = Clock.GetUtcNow();
            if (time > now)
            {
                Clock.Advance(time - now);
            }

            _stop.Token.WaitHandle.WaitOne(interval);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _follower?.Join();
        _stop.Dispose();
    }
}
