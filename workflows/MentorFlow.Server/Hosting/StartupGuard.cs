using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Hosting;

/// <summary>
/// Turns start-up failures an operator can fix (bad configuration, a port already taken, an unreachable database)
/// into one clear line on stderr and exit code 1, instead of a stack trace.
/// </summary>
public static class StartupGuard
{
    public static async Task<int> RunAsync(Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (Exception exception) when (Describe(exception) is { } message)
        {
            await Console.Error.WriteLineAsync($"mentorflow-server: {message}");
            return 1;
        }
    }

    /// <summary>The operator-facing line for a start-up failure, or null when it is a defect (then it is rethrown).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        ConfigurationException config => config.Message,
        OptionsValidationException options => "configuration error: " + string.Join("; ", options.Failures),
        IOException { InnerException: AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } io =>
            $"cannot listen: {io.Message} (set ASPNETCORE_URLS or --urls to a free port)",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ when exception.InnerException is { } inner && Describe(inner) is { } described => described,
        _ => null,
    };
}

/// <summary>A setting is missing or invalid; the message names the setting.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
