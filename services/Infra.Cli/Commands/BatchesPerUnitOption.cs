using System.CommandLine;
using System.Globalization;
using Infra.Client.Pipeline;

namespace Infra.Cli.Commands;

/// <summary>
/// <c>--batches-per-unit N</c> of <c>infra index</c>: with several GradientService workers, the whole batches in one unit
/// of work the workers pull (<see cref="IndexSettings.BatchesPerUnit"/>). Smaller units balance the workers better and
/// redo less after a worker dies (its unit is sent again whole); larger ones make fewer calls. Ignored with one
/// GradientService. Defaults to 4 (<see cref="IndexSettings"/>' default); below 1 is a usage error.
/// </summary>
internal sealed class BatchesPerUnitOption
{
    private readonly Option<int> _option = new("--batches-per-unit")
    {
        Description = "with several GradientService workers: whole batches per unit of work the workers pull (>= 1); smaller units balance "
            + "the workers better and redo less after a worker dies, larger ones make fewer calls; ignored with one GradientService",
        DefaultValueFactory = _ => new IndexSettings().BatchesPerUnit,
    };

    /// <summary>The option, created once per command (System.CommandLine options belong to one command).</summary>
    public BatchesPerUnitOption() => _option.Validators.Add(result =>
    {
        // Read from the token: a value that is not a number has its own parse error, and GetValueOrDefault would throw on it.
        if (result.Tokens is [{ Value: var text }] && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value < 1)
            result.AddError($"--batches-per-unit must be at least 1 (got {value.ToString(CultureInfo.InvariantCulture)})");
    });

    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_option);
    }

    /// <summary>The batches per unit <paramref name="parse"/> asks for (validated: at least 1).</summary>
    public int Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(_option);
    }
}
