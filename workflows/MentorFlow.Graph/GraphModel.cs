using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MentorFlow.Graph;

public static class GraphModel
{
    /// <summary>
    /// The Graph module's tables (<c>graph_outbox</c>, and the sandbox's <c>graph_sandbox_*</c>). Instants are stored as UTC ticks so both SQLite and PostgreSQL
    /// compare and order them in SQL.
    /// </summary>
    public static ModelBuilder AddGraphModel(this ModelBuilder modelBuilder)
    {
        var instant = new ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        var optionalInstant = new ValueConverter<DateTimeOffset?, long?>(
            v => v.HasValue ? v.Value.UtcTicks : null,
            v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);

        modelBuilder.Entity<GraphOutboxMessage>(entity =>
        {
            entity.ToTable("graph_outbox");
            entity.HasKey(m => m.Id);
            entity.Property(m => m.Id).HasColumnName("id");
            entity.Property(m => m.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(400).IsRequired();
            entity.HasIndex(m => m.IdempotencyKey).IsUnique().HasDatabaseName("ux_graph_outbox_idempotency_key");
            entity.Property(m => m.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(20);
            entity.Property(m => m.Mailbox).HasColumnName("mailbox").HasMaxLength(320).IsRequired();
            entity.Property(m => m.Payload).HasColumnName("payload").IsRequired();
            entity.Property(m => m.TargetKey).HasColumnName("target_key").HasMaxLength(400);
            entity.Property(m => m.TargetEventId).HasColumnName("target_event_id").HasMaxLength(512);
            entity.Property(m => m.Source).HasColumnName("source").HasMaxLength(400);
            entity.Property(m => m.SandboxOnly).HasColumnName("sandbox_only");
            entity.Property(m => m.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(10);
            entity.Property(m => m.Attempts).HasColumnName("attempts");
            entity.Property(m => m.OutcomeUnknown).HasColumnName("outcome_unknown");
            entity.Property(m => m.CreatedAt).HasColumnName("created_at").HasConversion(instant);
            entity.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at").HasConversion(instant);
            entity.Property(m => m.LastAttemptAt).HasColumnName("last_attempt_at").HasConversion(optionalInstant);
            entity.Property(m => m.SentAt).HasColumnName("sent_at").HasConversion(optionalInstant);
            entity.Property(m => m.LeaseOwner).HasColumnName("lease_owner").HasMaxLength(64);
            entity.Property(m => m.LeaseUntil).HasColumnName("lease_until").HasConversion(optionalInstant);
            entity.Property(m => m.EventId).HasColumnName("event_id").HasMaxLength(512);
            entity.Property(m => m.ICalUId).HasColumnName("ical_uid").HasMaxLength(512);
            entity.Property(m => m.WebLink).HasColumnName("web_link").HasMaxLength(2048);
            entity.Property(m => m.LastStatusCode).HasColumnName("last_status_code");
            entity.Property(m => m.LastErrorCode).HasColumnName("last_error_code").HasMaxLength(200);
            entity.Property(m => m.LastErrorMessage).HasColumnName("last_error_message").HasMaxLength(4000);
            entity.HasIndex(m => new { m.Status, m.NextAttemptAt }).HasDatabaseName("ix_graph_outbox_status_next_attempt_at");
        });
        modelBuilder.Entity<SandboxEventRow>(entity =>
        {
            entity.ToTable("graph_sandbox_events");
            entity.HasKey(e => e.Id);
            entity.Property(e => e.Id).HasColumnName("id").HasMaxLength(200);
            entity.Property(e => e.Mailbox).HasColumnName("mailbox").HasMaxLength(320).IsRequired();
            entity.Property(e => e.TransactionId).HasColumnName("transaction_id").HasMaxLength(200);
            entity.Property(e => e.CreatedAt).HasColumnName("created_at").HasConversion(instant);
            entity.Property(e => e.ChangeNumber).HasColumnName("change_number");
            entity.Property(e => e.Document).HasColumnName("document").IsRequired();
            entity.HasIndex(e => new { e.Mailbox, e.TransactionId }).IsUnique().HasDatabaseName("ux_graph_sandbox_events_mailbox_transaction");
            entity.HasIndex(e => new { e.Mailbox, e.CreatedAt }).HasDatabaseName("ix_graph_sandbox_events_mailbox_created_at");
        });
        modelBuilder.Entity<SandboxMessageRow>(entity =>
        {
            entity.ToTable("graph_sandbox_messages");
            entity.HasKey(m => m.Id);
            entity.Property(m => m.Id).HasColumnName("id").HasMaxLength(200);
            entity.Property(m => m.Sender).HasColumnName("sender").HasMaxLength(320).IsRequired();
            entity.Property(m => m.SentAt).HasColumnName("sent_at").HasConversion(instant);
            entity.Property(m => m.VisibleAt).HasColumnName("visible_at").HasConversion(instant);
            entity.Property(m => m.Document).HasColumnName("document").IsRequired();
            entity.HasIndex(m => new { m.Sender, m.SentAt }).HasDatabaseName("ix_graph_sandbox_messages_sender_sent_at");
        });
        modelBuilder.Entity<SandboxTermRow>(entity =>
        {
            entity.ToTable("graph_sandbox_terms");
            entity.HasKey(t => new { t.ItemId, t.Term });
            entity.Property(t => t.ItemId).HasColumnName("item_id").HasMaxLength(200);
            entity.Property(t => t.Term).HasColumnName("term").HasMaxLength(400);
            entity.HasIndex(t => t.Term).HasDatabaseName("ix_graph_sandbox_terms_term");
        });
        modelBuilder.Entity<SandboxTicketRow>(entity =>
        {
            entity.ToTable("graph_sandbox_tickets");
            entity.HasKey(t => t.Nonce);
            entity.Property(t => t.Nonce).HasColumnName("nonce").HasMaxLength(64);
            entity.Property(t => t.ExpiresAt).HasColumnName("expires_at").HasConversion(instant);
        });
        return modelBuilder;
    }
}
