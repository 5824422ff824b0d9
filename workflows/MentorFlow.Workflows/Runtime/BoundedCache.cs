namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// A thread-safe cache of at most <see cref="Capacity"/> entries: adding one to a full cache drops the least recently
/// used. Its owners build a dropped entry again on next use, so the bound costs time, never correctness.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>> _entries;

    /// <summary>Most recently used first.</summary>
    private readonly LinkedList<KeyValuePair<TKey, TValue>> _order = new();
    private readonly Lock _lock = new();

    public BoundedCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _entries = new(comparer);
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The keys held, most recently used first.</summary>
    public IReadOnlyList<TKey> Keys
    {
        get
        {
            lock (_lock)
            {
                return [.. _order.Select(entry => entry.Key)];
            }
        }
    }

    /// <summary>The value held for <paramref name="key"/>, which becomes the most recently used.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Holds <paramref name="value"/> for <paramref name="key"/> as the most recently used, replacing what was held; drops the least recently used beyond the capacity.</summary>
    public void Set(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                _order.Remove(existing);
            }

            var node = _order.AddFirst(new KeyValuePair<TKey, TValue>(key, value));
            _entries[key] = node;
            while (_entries.Count > Capacity && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
        }
    }

    /// <summary>The value held for <paramref name="key"/>, else the one <paramref name="create"/> builds (outside the lock; two callers may both build, the later one is kept).</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }

        value = create(key);
        Set(key, value);
        return value;
    }
}
