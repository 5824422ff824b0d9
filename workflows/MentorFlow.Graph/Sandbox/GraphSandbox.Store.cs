namespace MentorFlow.Graph.Sandbox;

/// <summary>What the sandbox holds, for the mailbox view, tests and demos (reads go to <see cref="SandboxStore"/>).</summary>
public sealed partial class GraphSandbox
{
    /// <summary>Events in creation order: of an organizer's <paramref name="mailbox"/>, or all.</summary>
    public Task<IReadOnlyList<SandboxEvent>> EventsAsync(string? mailbox = null, CancellationToken cancellationToken = default) =>
        store.EventsAsync(mailbox: mailbox, cancellationToken: cancellationToken);

    /// <summary>Mails in sending order: from <paramref name="sender"/>, or all.</summary>
    public Task<IReadOnlyList<SandboxMessage>> MessagesAsync(string? sender = null, CancellationToken cancellationToken = default) =>
        store.MessagesAsync(sender: sender, cancellationToken: cancellationToken);

    /// <summary>Every address that organizes, attends, sends or receives something here.</summary>
    public async Task<IReadOnlyList<string>> KnownAddressesAsync(CancellationToken cancellationToken = default) =>
        (await store.MailboxesAsync(cancellationToken)).Select(m => m.Address).ToList();

    /// <summary>Forgets everything received and this process's request windows and faults (tests, demos).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await store.ResetAsync(cancellationToken);
        Limits.Reset();
    }
}
