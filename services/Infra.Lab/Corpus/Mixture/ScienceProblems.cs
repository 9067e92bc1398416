using System.Globalization;

namespace Infra.Lab.Corpus.Mixture;

/// <summary>
/// Short physics problems (speed, density, Ohm's law, force) with a worked solution and a
/// Codeforces-style rating (800-3500): the mixture's numeric-difficulty domain, which carries a
/// rating column instead of a level label.
/// </summary>
public static class ScienceProblems
{
    /// <summary>One problem from <paramref name="rng"/>: its prompt, solution and rating.</summary>
    public static (string Prompt, string Response, int Rating) Generate(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var template = rng.Next(4);
        var scale = rng.Next(1, 6); // larger numbers are harder by the rating, as longer arithmetic is for the model
        var a = rng.Next(2, 10) * scale;
        var b = rng.Next(2, 10);
        var product = a * b;
        var (prompt, response) = template switch
        {
            0 => ($"A train covers {I(product)} km in {I(b)} hours at a constant speed. What is its speed in km/h?",
                  $"Speed is distance divided by time.\nSpeed = {I(product)} / {I(b)} = {I(a)} km/h.\nThe answer is {I(a)}."),
            1 => ($"A block has a mass of {I(product)} g and a volume of {I(b)} cm^3. What is its density in g/cm^3?",
                  $"Density is mass divided by volume.\nDensity = {I(product)} / {I(b)} = {I(a)} g/cm^3.\nThe answer is {I(a)}."),
            2 => ($"A resistor of {I(a)} ohms carries a current of {I(b)} A. What is the voltage across it in volts?",
                  $"By Ohm's law, voltage is current times resistance.\nV = {I(b)} * {I(a)} = {I(product)} V.\nThe answer is {I(product)}."),
            _ => ($"What force in newtons accelerates a {I(a)} kg cart at {I(b)} m/s^2?",
                  $"Force is mass times acceleration.\nF = {I(a)} * {I(b)} = {I(product)} N.\nThe answer is {I(product)}."),
        };
        var rating = Math.Min(3500, 800 + (template * 300) + (scale * 300) + (rng.Next(0, 4) * 100));
        return (prompt, response, rating);
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
