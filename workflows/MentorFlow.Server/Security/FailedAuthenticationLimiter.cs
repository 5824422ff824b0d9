using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Security;

/// <summary>
/// Counts wrong manager keys per client IP in fixed windows (<c>Security:RateLimiting:FailedAuthentication</c>). Once a
/// client reaches the limit, every key it sends (even a right one) is refused with 429 until its window ends, so keys
/// cannot be guessed at speed. Tracks at most <see cref="MaxClients"/> addresses; expired windows are dropped first.
/// </summary>
public sealed class FailedAuthenticationLimiter(IOptions<SecurityOptions> options, TimeProvider clock)
{
    public const int MaxClients = 10_000;

    private readonly Dictionary<string, (DateTimeOffset WindowEnd, int Failures)> _clients = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private WindowLimit Limit => options.Value.RateLimiting.FailedAuthentication;

    /// <summary>When the client may try again, or null when it is not locked out.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            return _clients.TryGetValue(client, out var state) && state.WindowEnd > now && state.Failures >= Limit.PermitLimit
                ? state.WindowEnd - now
                : null;
        }
    }

    public void RecordFailure(string client)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_clients.TryGetValue(client, out var state) && state.WindowEnd > now)
            {
                _clients[client] = (state.WindowEnd, state.Failures + 1);
                return;
            }

            if (_clients.Count >= MaxClients)
            {
                foreach (var expired in _clients.Where(c => c.Value.WindowEnd <= now).Select(c => c.Key).ToList())
                {
                    _clients.Remove(expired);
                }

                if (_clients.Count >= MaxClients)
                {
                    // Under a spread-out attack, forget the window closest to its end rather than grow without limit.
                    _clients.Remove(_clients.MinBy(c => c.Value.WindowEnd).Key);
                }
            }

            _clients[client] = (now + Limit.Window, 1);
        }
    }

    public static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
