using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MentorFlow.Server.Security;

/// <summary>
/// A manager API key stored in the database: its name, the SHA-256 hash of the key (never the key itself), when it was
/// created, last used (to the key ring's refresh interval) and revoked. A revoked key stays listed and never works again.
/// </summary>
public sealed class ManagerApiKey
{
    /// <summary>The id of the key a development server generates on its first run: replicas racing to create it insert the same row.</summary>
    public static readonly Guid FirstDevelopmentKeyId = new("00000000-0000-0000-0000-00000000d001");

    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

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
