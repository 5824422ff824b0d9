using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MentorFlow.Server.Security;

/// <summary>A manager API key stored in the database (only its SHA-256 hash), e.g. the generated development key.</summary>
public sealed class ManagerApiKey
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

internal sealed class ManagerApiKeyConfiguration : IEntityTypeConfiguration<ManagerApiKey>
{
    public void Configure(EntityTypeBuilder<ManagerApiKey> builder)
    {
        builder.ToTable("manager_api_keys");
        builder.HasKey(key => key.Id);
        builder.Property(key => key.Name).HasMaxLength(200);
        builder.Property(key => key.KeyHash).HasMaxLength(64);
        builder.HasIndex(key => key.KeyHash).IsUnique();
    }
}
