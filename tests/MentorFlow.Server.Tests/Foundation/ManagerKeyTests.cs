using System.Net;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.Foundation;

public sealed class ManagerKeyTests
{
    [Fact]
    public async Task FirstRun_WithNoConfiguredKey_StoresOneGeneratedKeyAndKeepsItOnRestart()
    {
        using var first = new ServerFactory { WithManagerKey = false };
        using (var client = first.CreateClient())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/system", UriKind.Relative))).StatusCode);
        }

        await using (var scope = first.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            var keys = await db.ManagerApiKeys.ToListAsync();
            var key = Assert.Single(keys);
            Assert.Equal(64, key.KeyHash.Length);
            Assert.Equal(first.Clock.GetUtcNow(), key.CreatedAt);
        }
    }
}
