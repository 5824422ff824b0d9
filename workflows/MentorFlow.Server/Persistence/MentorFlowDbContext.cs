using MentorFlow.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Server.Persistence;

/// <summary>
/// The one database of a MentorFlow deployment. Each module contributes its tables in <see cref="OnModelCreating"/>
/// (the workflow engine, the Graph outbox, the mentoring domain), so a workflow burst and the outbox rows it writes
/// commit in one transaction. Two provider-specific subclasses carry their own migrations.
/// </summary>
public abstract class MentorFlowDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ManagerApiKey> ManagerApiKeys => Set<ManagerApiKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MentorFlowDbContext).Assembly);
        MentorFlowModel.Configure(modelBuilder);
    }
}

/// <summary>SQLite flavour (embedded default); migrations under Persistence/Migrations/Sqlite.</summary>
public sealed class SqliteMentorFlowDbContext(DbContextOptions<SqliteMentorFlowDbContext> options)
    : MentorFlowDbContext(options);

/// <summary>PostgreSQL flavour (production, several replicas); migrations under Persistence/Migrations/Postgres.</summary>
public sealed class PostgresMentorFlowDbContext(DbContextOptions<PostgresMentorFlowDbContext> options)
    : MentorFlowDbContext(options);
