namespace Infra.Lab.Corpus.Mixture;

/// <summary>
/// Everyday assistant requests (names, tips, translations, greetings) with a short answer: the
/// mixture's chat domain, which has no difficulty label at all.
/// </summary>
public static class ChatRequests
{
    private static readonly string[] Adjectives = ["playful", "sleepy", "curious", "tiny", "fluffy", "brave", "gentle", "noisy"];
    private static readonly string[] Pets = ["kitten", "puppy", "parrot", "hamster", "rabbit", "turtle"];
    private static readonly string[] Names = ["Pepper", "Biscuit", "Luna", "Milo", "Poppy", "Ziggy", "Olive", "Nova"];
    private static readonly (string Activity, string Tip)[] Tips =
    [
        ("studying", "Study in short sessions and take a five minute break after each one."),
        ("running", "Start slowly and increase your distance by a little each week."),
        ("cooking", "Read the whole recipe before you start and prepare every ingredient first."),
        ("sleeping well", "Go to bed at the same time every night and keep the room dark."),
        ("saving money", "Write down what you spend for one month to see where it goes."),
    ];
    private static readonly (string English, string French)[] Words =
    [
        ("cat", "chat"), ("house", "maison"), ("water", "eau"), ("book", "livre"), ("friend", "ami"), ("tree", "arbre"),
    ];
    private static readonly string[] People = ["my teacher", "a new neighbour", "my grandmother", "the team", "a friend"];

    /// <summary>One request from <paramref name="rng"/> and its answer.</summary>
    public static (string Prompt, string Response) Generate(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        switch (rng.Next(4))
        {
            case 0:
                var adjective = Pick(rng, Adjectives);
                var pet = Pick(rng, Pets);
                var name = Pick(rng, Names);
                return ($"Suggest a name for a {adjective} {pet}.", $"How about {name}? It suits a {adjective} {pet} and is easy to call.");
            case 1:
                var (activity, tip) = Pick(rng, Tips);
                return ($"Give me one tip for {activity}.", tip);
            case 2:
                var (english, french) = Pick(rng, Words);
                return ($"How do you say '{english}' in French?", $"'{english}' in French is '{french}'.");
            default:
                var person = Pick(rng, People);
                return ($"Write a short greeting for {person}.", $"Hello! I hope you are having a wonderful day, and thank you for everything.");
        }
    }

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];
}
