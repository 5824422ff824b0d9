namespace MentorFlow.Graph.Sandbox;

/// <summary>The sandbox's store: the events of every organizer's calendar and every mail accepted.</summary>
public sealed partial class GraphSandbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxEvent> _events = new(StringComparer.Ordinal);
    private readonly List<SandboxMessage> _messages = [];

    public IReadOnlyList<SandboxEvent> Events(string? mailbox = null)
    {
        lock (_gate)
        {
            return _events.Values.Where(e => mailbox is null || Same(e.Mailbox, mailbox)).OrderBy(e => e.CreatedAt).ToList();
        }
    }

    public IReadOnlyList<SandboxMessage> Messages(string? sender = null)
    {
        lock (_gate)
        {
            return _messages.Where(m => sender is null || Same(m.Sender, sender)).ToList();
        }
    }

    /// <summary>Every address that organizes, attends, sends or receives something here.</summary>
    public IReadOnlyList<string> KnownAddresses()
    {
        lock (_gate)
        {
            return _events.Values.SelectMany(e => e.Attendees.Select(a => a.Address).Append(e.Mailbox))
                .Concat(_messages.SelectMany(m => m.Recipients.Append(m.Sender)))
                .Select(a => a.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Forgets everything received (tests, demos).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _events.Clear();
            _messages.Clear();
        }

        Limits.Reset();
    }
}
