using Infra.Core.Scoring;
using Infra.Core.Text;
using Infra.Core.Errors;
using WireChatFormat = Infra.Contracts.Gradients.V1.ChatFormat;
using WireExample = Infra.Contracts.Gradients.V1.Example;
using WireRecipe = Infra.Contracts.Scoring.V1.QueryRecipe;
using WireReduction = Infra.Contracts.Gradients.V1.MeasurementReduction;

namespace Infra.Scoring.Mapping;

/// <summary>Query recipes and query set summaries, proto to and from Core. Unspecified enums map to their documented defaults (MEAN, QWEN2_5).</summary>
internal static class QueryRecipeMapper
{
    public static QueryRecipe ToCore(WireRecipe recipe) => new()
    {
        Queries = recipe.Queries.Select(ToCore).ToList(),
        FactorsName = recipe.FactorsName,
        Damping = recipe.Damping,
        Reduction = recipe.Reduction switch
        {
            WireReduction.Unspecified or WireReduction.Mean => QueryReduction.Mean,
            WireReduction.Sum => QueryReduction.Sum,
            _ => throw DomainException.InvalidArgument($"QueryRecipe.reduction: unknown value {recipe.Reduction}", "header.recipe.reduction"),
        },
        ChatFormat = recipe.ChatFormat switch
        {
            WireChatFormat.Unspecified or WireChatFormat.Qwen25 => ChatFormat.Qwen25,
            WireChatFormat.Plain => ChatFormat.Plain,
            _ => throw DomainException.InvalidArgument($"QueryRecipe.chat_format: unknown value {recipe.ChatFormat}", "header.recipe.chat_format"),
        },
        Truncate = recipe.Truncate,
    };

    public static WireRecipe ToWire(QueryRecipe recipe)
    {
        var wire = new WireRecipe
        {
            FactorsName = recipe.FactorsName,
            Damping = recipe.Damping,
            Reduction = recipe.Reduction == QueryReduction.Sum ? WireReduction.Sum : WireReduction.Mean,
            ChatFormat = recipe.ChatFormat == ChatFormat.Plain ? WireChatFormat.Plain : WireChatFormat.Qwen25,
            Truncate = recipe.Truncate,
        };
        wire.Queries.AddRange(recipe.Queries.Select(ToWire));
        return wire;
    }

    private static RecipeQuery ToCore(WireExample e)
    {
        if (string.IsNullOrEmpty(e.Id)) throw DomainException.InvalidArgument("QueryRecipe.queries: a query has no id", "header.recipe.queries.id");
        return new RecipeQuery
        {
            Id = e.Id, Domain = e.Domain, Difficulty = e.Difficulty, System = e.System, Prompt = e.Prompt, Response = e.Response,
            TokenIds = e.Tokens is { } t ? [.. t.TokenIds] : null,
            LossMask = e.Tokens is { } m
                ? m.LossMask.Select(v => v <= 1 ? (int)v : throw DomainException.InvalidArgument($"QueryRecipe query '{e.Id}': loss_mask values are 0 or 1, not {v}", "header.recipe.queries.loss_mask")).ToList()
                : null,
        };
    }

    private static WireExample ToWire(RecipeQuery q)
    {
        var e = new WireExample { Id = q.Id, Domain = q.Domain, Difficulty = q.Difficulty, System = q.System, Prompt = q.Prompt, Response = q.Response };
        if (q.TokenIds is { } ids)
        {
            e.Tokens = new Contracts.Gradients.V1.TokenizedText();
            e.Tokens.TokenIds.AddRange(ids);
            e.Tokens.LossMask.AddRange((q.LossMask ?? []).Select(v => (uint)v));
        }
        return e;
    }
}
