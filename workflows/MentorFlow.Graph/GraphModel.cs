using MentorFlow.Graph.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MentorFlow.Graph;

public static class GraphModel
{
    /// <summary>
    /// The Graph module's tables (<c>graph_outbox</c>). Instants are stored as UTC ticks so both SQLite and PostgreSQL
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
        return modelBuilder;
    }
}
