using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MentorFlow.Server.Persistence;

/// <summary>Used by <c>dotnet ef</c> to build the SQLite model when adding a migration.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMentorFlowDbContext>
{
    public SqliteMentorFlowDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMentorFlowDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Used by <c>dotnet ef</c> to build the PostgreSQL model when adding a migration (no server needed).</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMentorFlowDbContext>
{
    public PostgresMentorFlowDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMentorFlowDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
