using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Tests.Infrastructure;

/// <summary>A small context with the engine's model plus a test outbox table (for Enlist tests).</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddWorkflowEngineModel();
        modelBuilder.Entity<TestOutboxRow>(e =>
        {
            e.ToTable("test_outbox");
            e.HasKey(x => x.Key);
        });
    }
}

public sealed class TestOutboxRow
{
    public required string Key { get; set; }
    public required string Text { get; set; }
}
