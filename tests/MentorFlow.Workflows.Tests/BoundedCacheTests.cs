using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Tests;

/// <summary>The engine's bounded caches: least recently used dropped first, never more than the capacity, also under concurrent use.</summary>
public sealed class BoundedCacheTests
{
    [Fact]
    public void AddingToAFullCache_DropsTheLeastRecentlyUsed_AndReadingAnEntryKeepsIt()
    {
        var cache = new BoundedCache<string, int>(2, StringComparer.Ordinal);
        cache.Set("a", 1);
        cache.Set("b", 2);
        Assert.True(cache.TryGet("a", out _));

        cache.Set("c", 3);

        Assert.Equal(["c", "a"], cache.Keys);
        Assert.False(cache.TryGet("b", out _));
        Assert.Equal(4, cache.GetOrAdd("b", _ => 4));
        Assert.Equal(["b", "c"], cache.Keys);
    }

    [Fact]
    public void SettingAHeldKey_ReplacesItsValue_WithoutDroppingAnother()
    {
        var cache = new BoundedCache<string, int>(2, StringComparer.Ordinal);
        cache.Set("a", 1);
        cache.Set("b", 2);

        cache.Set("a", 10);

        Assert.Equal(["a", "b"], cache.Keys);
        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal(10, value);
    }

    [Fact]
    public async Task ManyThreadsAddingManyKeys_NeverHoldMoreThanTheCapacity_AndEachGetsItsOwnValue()
    {
        var cache = new BoundedCache<int, int>(16);
        var wrong = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 20_000; i++)
            {
                var key = random.Next(200);
                if (cache.GetOrAdd(key, k => k * 3) != key * 3)
                {
                    Interlocked.Increment(ref wrong);
                }

                if (cache.Count > 16)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })));

        Assert.Equal(0, wrong);
        Assert.Equal(16, cache.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void ACapacityBelowOne_IsRefused(int capacity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedCache<string, int>(capacity));
}
