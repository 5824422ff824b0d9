namespace MentorFlow.Reporting.Matching;

/// <summary>A statement as an L2-normalised bag of hashed words (lower-case, ≥ 3 letters, stop words removed).</summary>
public sealed class StatementVector
{
    public static readonly StatementVector Empty = new([], []);

    private StatementVector(int[] terms, float[] weights)
    {
        Terms = terms;
        Weights = weights;
    }

    internal int[] Terms { get; }
    internal float[] Weights { get; }

    public static StatementVector Of(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }

        var counts = new SortedDictionary<int, int>();
        foreach (var word in Statements.Words(text))
        {
            var hash = Statements.Hash(word);
            counts[hash] = counts.GetValueOrDefault(hash) + 1;
        }

        if (counts.Count == 0)
        {
            return Empty;
        }

        var norm = Math.Sqrt(counts.Values.Sum(c => (double)c * c));
        return new StatementVector([.. counts.Keys], [.. counts.Values.Select(c => (float)(c / norm))]);
    }
}

/// <summary>Statement text similarity: cosine of <see cref="StatementVector"/>s.</summary>
public static class Statements
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "that", "this", "from", "have", "has", "are", "was", "were", "you", "your", "our",
        "but", "not", "all", "can", "will", "would", "into", "about", "more", "want", "like", "also", "been", "they",
        "them", "their", "what", "when", "who", "how", "why", "out", "get", "its", "just", "some", "than", "then",
        "there", "these", "those", "very", "much", "help", "hope", "years", "year", "work", "working",
    };

    public static float Cosine(StatementVector a, StatementVector b)
    {
        var i = 0;
        var j = 0;
        var dot = 0f;
        var at = a.Terms;
        var bt = b.Terms;
        while (i < at.Length && j < bt.Length)
        {
            if (at[i] == bt[j])
            {
                dot += a.Weights[i] * b.Weights[j];
                i++;
                j++;
            }
            else if (at[i] < bt[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return Math.Clamp(dot, 0f, 1f);
    }

    internal static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var k = 0; k <= text.Length; k++)
        {
            var letter = k < text.Length && char.IsLetterOrDigit(text[k]);
            if (letter && start < 0)
            {
                start = k;
            }
            else if (!letter && start >= 0)
            {
                var word = text[start..k].ToLowerInvariant();
                start = -1;
                if (word.Length >= 3 && !StopWords.Contains(word))
                {
                    yield return word;
                }
            }
        }
    }

    /// <summary>FNV-1a: stable across processes (string.GetHashCode is not).</summary>
    internal static int Hash(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
