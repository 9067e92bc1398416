using Infra.Core.Errors;
using System.Text.Json;
using Infra.Core.Scoring;
using Infra.Core.Store;
using Infra.Core.Tests.Store;
using Infra.Core.Text;

namespace Infra.Core.Tests.Scoring;

public sealed class QuerySetRepositoryTests : IDisposable
{
    private readonly string _root = StoreFixtures.TempFolder();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private GradientStore Store() => GradientStore.OpenOrCreate(Path.Combine(_root, "store"), StoreFixtures.Schema());

    private static Query Query(string id, int seed, bool preconditioned = false) =>
        new(id, id == "q0" ? "math" : "code", -0.5f * seed, preconditioned, StoreFixtures.Example(id, seed).ExampleGradients);

    private static QueryRecipe Recipe(params string[] ids) => new()
    {
        Queries = [.. ids.Select((id, i) => i % 2 == 0
            ? new RecipeQuery { Id = id, Domain = "math", Difficulty = 2, System = "sys", Prompt = "1 + 1?", Response = "2" }
            : new RecipeQuery { Id = id, Domain = "code", TokenIds = [5, 6, 7], LossMask = [0, 1, 1] })],
        FactorsName = "ekfac",
        Damping = 0.5,
        Reduction = QueryReduction.Sum,
        ChatFormat = ChatFormat.Plain,
        Truncate = true,
    };

    [Fact]
    public void A_recipe_is_saved_in_a_format_3_file_and_loads_back_with_the_gradients()
    {
        using var store = Store();
        var set = new QuerySet("held-out", [Query("q0", 1), Query("q1", 2)], Recipe("q0", "q1"));
        QuerySetRepository.Save(store, set);

        var loaded = QuerySetRepository.Load(store, "held-out");
        Assert.Equal(["q0", "q1"], loaded.Queries.Select(q => q.Id));
        Assert.Equal(set.Queries[1].Gradients, loaded.Queries[1].Gradients);
        var recipe = loaded.Recipe!;
        Assert.Equal(set.Recipe! with { Queries = [] }, recipe with { Queries = [] });
        Assert.Equal([5, 6, 7], recipe.Queries[1].TokenIds!);
        Assert.Equal([0, 1, 1], recipe.Queries[1].LossMask!);
        Assert.Equal(set.Recipe.Queries[0], recipe.Queries[0]);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(store.Path, "queries", "held-out.json")));
        Assert.Equal(QuerySetRepository.CurrentVersion, json.RootElement.GetProperty("format_version").GetInt32());
        Assert.Equal("sum", json.RootElement.GetProperty("recipe").GetProperty("reduction").GetString());
        Assert.Equal("q1", json.RootElement.GetProperty("queries")[1].GetProperty("id").GetString());

        QuerySetRepository.Save(store, set with { Recipe = null });
        Assert.Null(QuerySetRepository.Describe(store, "held-out").Recipe);
        Assert.Equal(["held-out"], QuerySetRepository.Names(store));
    }

    [Fact]
    public void The_format_1_list_still_loads()
    {
        using var store = Store();
        QuerySetRepository.Save(store, new QuerySet("old", [Query("q0", 1, preconditioned: true), Query("q1", 2, preconditioned: true)]));
        // Formats 1 and 2 kept the tensors at <name>.safetensors.
        var queries = Path.Combine(store.Path, "queries");
        File.Move(Directory.GetFiles(queries, "old.*.safetensors").Single(), Path.Combine(queries, "old.safetensors"));
        File.WriteAllText(Path.Combine(store.Path, "queries", "old.json"),
            """[{"Id":"q0","Domain":"math","Measurement":-0.5,"Preconditioned":true},{"Id":"q1","Domain":"code","Measurement":-1,"Preconditioned":true}]""");

        var summary = QuerySetRepository.Describe(store, "old");
        Assert.Equal([new QuerySummary("q0", "math", -0.5f, true), new QuerySummary("q1", "code", -1f, true)], summary.Queries);
        Assert.True(summary.Preconditioned);
        Assert.Null(summary.Recipe);
        Assert.Equal(2, QuerySetRepository.Load(store, "old").Queries[1].Gradients.Count);
    }

    [Fact]
    public void Unreadable_and_future_files_are_refused_by_name()
    {
        using var store = Store();
        QuerySetRepository.Save(store, new QuerySet("s", [Query("q0", 1)]));
        var path = Path.Combine(store.Path, "queries", "s.json");
        File.WriteAllText(path, """{ "format_version": 4, "queries": [] }""");
        Assert.Contains("format version 4", Assert.Throws<StoreException>(() => QuerySetRepository.Describe(store, "s")).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "{ not json");
        Assert.Equal(StoreErrorKind.Corrupt, Assert.Throws<StoreException>(() => QuerySetRepository.Describe(store, "s")).Kind);
        Assert.Throws<DomainException>(() => QuerySetRepository.Describe(store, "other"));
    }

    [Theory]
    [InlineData(new[] { "q0", "q1", "zz" }, "'zz'")]
    [InlineData(new[] { "q0" }, "'q1'")]
    [InlineData(new[] { "q0", "q0", "q1" }, "'q0' twice")]
    public void A_recipe_whose_ids_differ_from_the_set_is_refused_naming_the_id(string[] recipeIds, string named)
    {
        using var store = Store();
        var set = new QuerySet("s", [Query("q0", 1), Query("q1", 2)], Recipe(recipeIds));
        Assert.Contains(named, Assert.Throws<DomainException>(() => QuerySetRepository.Save(store, set)).Message, StringComparison.Ordinal);
        Assert.Empty(QuerySetRepository.Names(store));
    }

    [Fact]
    public void A_recipe_query_whose_loss_mask_does_not_fit_its_tokens_is_refused()
    {
        var recipe = Recipe("q0", "q1");
        var bad = recipe with { Queries = [recipe.Queries[0], recipe.Queries[1] with { LossMask = [1] }] };
        Assert.Contains("'q1'", Assert.Throws<DomainException>(() => bad.Validate("s", ["q0", "q1"])).Message, StringComparison.Ordinal);
    }
}
