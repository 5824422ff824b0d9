using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;

namespace MentorFlow.Workflows.Expressions;

/// <summary>A limit on what one evaluation may produce or hold was reached; the message names the limit and its setting.</summary>
internal sealed class ExpressionLimitException(string message) : Exception(message);

/// <summary>Sizes of values and the messages of the limits on them.</summary>
internal static class ExpressionLimits
{
    public const string OutputSetting = "Workflows:ExpressionOutputLimitBytes";
    public const string VariableSetting = "Workflows:VariableValueLimitBytes";
    public const string LiquidStepSetting = "Workflows:LiquidStepLimit";

    /// <summary>"1 MB", "512 KB", "900 bytes".</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{(bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MB",
        >= 1024 * 1024 => $"{(bytes / (1024d * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} MB",
        >= 1024 when bytes % 1024 == 0 => $"{(bytes / 1024).ToString(CultureInfo.InvariantCulture)} KB",
        _ => $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes",
    };

    public static ExpressionLimitException Output(string what, long limit) =>
        new($"{what} exceeded {Bytes(limit)} ({OutputSetting}).");

    /// <summary>
    /// Throws when <paramref name="text"/> is over <paramref name="limit"/> UTF-8 bytes (a string longer than the limit
    /// in characters is over it without counting).
    /// </summary>
    public static void CheckText(string text, long limit, string what)
    {
        if (text.Length > limit || (text.Length * 3L > limit && Encoding.UTF8.GetByteCount(text) > limit))
        {
            throw Output(what, limit);
        }
    }

    /// <summary>The UTF-8 size of a value as JSON, counted without building the text.</summary>
    public static long JsonBytes(JsonNode? node)
    {
        if (node is null)
        {
            return 4;
        }

        using var counter = new CountingStream();
        using (var writer = new Utf8JsonWriter(counter))
        {
            node.WriteTo(writer);
        }

        return counter.Length;
    }

    /// <summary>Throws an <see cref="ActivityInputException"/> when a value written to a variable or output is over the limit.</summary>
    public static void CheckValue(JsonNode? node, long limit, string activityId, string target)
    {
        var size = JsonBytes(node);
        if (size > limit)
        {
            throw new ActivityInputException(activityId, target,
                $"the value is {Bytes(size)}, over the limit of {Bytes(limit)} for one variable or output ({VariableSetting}).");
        }
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}

/// <summary>
/// The writer a Liquid template renders into: it keeps the text and throws once the UTF-8 size passes the limit, so a
/// runaway template stops at the limit instead of allocating what it asked for. Fluid writes through the
/// <c>WriteAsync</c> methods; they complete synchronously here (the base <see cref="TextWriter"/> queues each one to
/// the thread pool, which turns every rendered fragment into a thread hop and the synchronous render into a wait).
/// </summary>
internal sealed class BoundedWriter(long limit) : TextWriter(CultureInfo.InvariantCulture)
{
    private readonly StringBuilder _text = new();
    private long _bytes;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        Count(value < 0x80 ? 1 : value < 0x800 || char.IsSurrogate(value) ? 2 : 3);
        _text.Append(value);
    }

    public override void Write(string? value)
    {
        if (value is not null)
        {
            Write(value.AsSpan());
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (buffer.Length > limit)
        {
            throw ExpressionLimits.Output("Liquid output", limit);
        }

        Count(Encoding.UTF8.GetByteCount(buffer));
        _text.Append(buffer);
    }

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char[] buffer, int index, int count)
    {
        Write(buffer.AsSpan(index, count));
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(StringBuilder? value, CancellationToken cancellationToken = default)
    {
        if (value is not null)
        {
            foreach (var chunk in value.GetChunks())
            {
                Write(chunk.Span);
            }
        }

        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(char value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(char[] buffer, int index, int count)
    {
        WriteLine(buffer.AsSpan(index, count));
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        WriteLine(buffer.Span);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        WriteLine();
        return Task.CompletedTask;
    }

    public override Task FlushAsync() => Task.CompletedTask;

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override string ToString() => _text.ToString();

    private void Count(long bytes)
    {
        _bytes += bytes;
        if (_bytes > limit)
        {
            throw ExpressionLimits.Output("Liquid output", limit);
        }
    }
}
