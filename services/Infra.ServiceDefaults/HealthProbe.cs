using Grpc.Health.V1;

namespace Infra.ServiceDefaults;

/// <summary>
/// The <c>--health-probe &lt;address&gt;</c> mode of every service executable: one grpc.health.v1 Check
/// against <c>address</c>, exit code 0 when it answers SERVING, 1 otherwise. Container health checks run
/// it (<c>dotnet Infra.Scoring.dll --health-probe http://127.0.0.1:8080</c>) because the runtime image
/// has no grpc_health_probe. The health service needs no API key.
/// </summary>
public static class HealthProbe
{
    /// <summary>The command-line switch: "--health-probe".</summary>
    public const string Switch = "--health-probe";

    /// <summary>How long one probe waits for the answer: 5 seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Call first thing in Program.cs: <c>if (await HealthProbe.RunIfRequestedAsync(args) is { } code) return code;</c>.
    /// Null when <paramref name="args"/> has no <see cref="Switch"/> (start the service); else the probe's exit code.
    /// </summary>
    public static async Task<int?> RunIfRequestedAsync(string[] args, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var at = Array.IndexOf(args, Switch);
        if (at < 0) return null;
        output ??= Console.Out;
        if (at + 1 >= args.Length)
        {
            await output.WriteLineAsync($"{Switch} needs an address, e.g. {Switch} http://127.0.0.1:8080").ConfigureAwait(false);
            return 1;
        }
        return await ProbeAsync(args[at + 1], output).ConfigureAwait(false);
    }

    /// <summary>One Check of the server's overall health (service ""): 0 when SERVING, 1 when not or unreachable; one line to <paramref name="output"/>.</summary>
    public static async Task<int> ProbeAsync(string address, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            using var channel = InfraChannel.Create(address, apiKey: null);
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(Timeout)).ConfigureAwait(false);
            await output.WriteLineAsync($"{address}: {reply.Status}").ConfigureAwait(false);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
#pragma warning disable CA1031 // a probe reports every failure as "unhealthy" rather than crashing
        catch (Exception e)
#pragma warning restore CA1031
        {
            await output.WriteLineAsync($"{address}: unhealthy ({e.GetType().Name}: {e.Message})").ConfigureAwait(false);
            return 1;
        }
    }
}
