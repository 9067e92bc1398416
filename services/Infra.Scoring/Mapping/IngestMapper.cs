using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Metadata;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Compression;
using Infra.Core.Store;
using Infra.Core.Errors;

namespace Infra.Scoring.Mapping;

/// <summary>Proto to and from store types, for ingest and store info.</summary>
internal static class IngestMapper
{
    public static StoreSchema ToSchema(IngestHeader header)
    {
        if (string.IsNullOrEmpty(header.ModelFingerprint)) throw DomainException.InvalidArgument("IngestHeader.model_fingerprint is missing", "header.model_fingerprint");
        if (header.Layers.Count == 0) throw DomainException.InvalidArgument("IngestHeader.layers is empty", "header.layers");
        return new StoreSchema
        {
            ModelFingerprint = header.ModelFingerprint,
            Layers = header.Layers.Select(l => new StoreLayer(l.Name, (int)l.DIn, (int)l.DOut, (int)l.KIn, (int)l.KOut)).ToList(),
            ProjectionIdentity = header.Projection?.Identity ?? false,
            ProjectionSeed = header.Projection?.Seed ?? 0,
            DType = header.StoreDtype == WireDtype.Unspecified ? FactorDType.BFloat16 : ExampleAssembler.ToFactorDType(header.StoreDtype),
            TokenFactors = header.TokenFactors,
            Difficulty = ToScheme(header.Difficulty),
        };
    }

    /// <summary>The header's difficulty scheme; null when unset (levels given as integers, or none).</summary>
    /// <exception cref="DomainException">A source this build does not know, or bin edges that are not finite and ascending (InvalidArgument).</exception>
    private static Core.Metadata.DifficultyScheme? ToScheme(Contracts.Gradients.V1.DifficultyScheme? wire)
    {
        Core.Metadata.DifficultyScheme? scheme;
        try
        {
            scheme = MetadataWire.FromWire(wire);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw DomainException.InvalidArgument($"IngestHeader.difficulty.source {wire!.Source}: {ex.Message}", "header.difficulty.source");
        }
        if (scheme is null) return null;
        for (var i = 0; i < scheme.BinEdges.Count; i++)
        {
            if (!double.IsFinite(scheme.BinEdges[i]) || (i > 0 && scheme.BinEdges[i] < scheme.BinEdges[i - 1]))
                throw DomainException.InvalidArgument($"IngestHeader.difficulty.bin_edges must be finite and ascending; edge {i} is {scheme.BinEdges[i]}", "header.difficulty.bin_edges");
        }
        return scheme;
    }

    public static IngestHeader ToHeader(StoreSchema schema)
    {
        var header = new IngestHeader
        {
            ModelFingerprint = schema.ModelFingerprint,
            // k as the first layer has it: layers share it in practice, and each layer's own dims are on layers below.
            Projection = new Contracts.Gradients.V1.ProjectionSpec
            {
                Identity = schema.ProjectionIdentity, Seed = schema.ProjectionSeed,
                KIn = schema.Layers.Count > 0 ? (uint)schema.Layers[0].KIn : 0, KOut = schema.Layers.Count > 0 ? (uint)schema.Layers[0].KOut : 0,
            },
            StoreDtype = schema.DType switch
            {
                FactorDType.Float32 => WireDtype.Float32,
                FactorDType.BFloat16 => WireDtype.Bfloat16,
                FactorDType.Float16 => WireDtype.Float16,
                _ => WireDtype.Int8,
            },
            TokenFactors = schema.TokenFactors,
            Difficulty = schema.Difficulty is { } scheme ? MetadataWire.ToWire(scheme) : null,
        };
        header.Layers.AddRange(schema.Layers.Select((l, i) => new TrackedLayer
        {
            Index = (uint)i, Name = l.Name, DIn = (uint)l.DIn, DOut = (uint)l.DOut, KIn = (uint)l.KIn, KOut = (uint)l.KOut,
        }));
        return header;
    }

    /// <summary>A live-streamed example's gradient, layer by layer (<paramref name="layers"/> of them).</summary>
    /// <exception cref="DomainException">A layer's example gradient did not arrive (InvalidArgument).</exception>
    public static IReadOnlyList<float[]> ToExampleGradient(ReceivedExample received, int layers) =>
        Enumerable.Range(0, layers).Select(l => received.Factors.TryGetValue((l, FactorKind.ExampleGradient), out var g)
            ? g
            : throw DomainException.InvalidArgument($"example '{received.Header.Id}': no example gradient for layer {l} (stream with include_example_gradient)")).ToList();

    /// <exception cref="ArgumentException">A layer's example gradient (or, for a token-factor store, its factors) did not arrive.</exception>
    public static StoreExample ToStoreExample(ReceivedExample received, StoreSchema schema)
    {
        var h = received.Header;
        if (Core.Naming.ExampleId.Problem(h.Id) is { } idProblem)
            throw DomainException.InvalidArgument($"example '{Core.Naming.ExampleId.Quote(h.Id)}': {idProblem}", "gradient.header.id");
        float[] Factor(int layer, FactorKind kind) => received.Factors.TryGetValue((layer, kind), out var values)
            ? values
            : throw DomainException.InvalidArgument($"example '{h.Id}': no {kind} for layer {layer} arrived (index with include_example_gradient{(schema.TokenFactors ? " and include_token_factors" : "")})");
        var layers = Enumerable.Range(0, schema.Layers.Count).ToList();
        return new StoreExample
        {
            Id = h.Id,
            Domain = h.Domain,
            Difficulty = h.Difficulty,
            TokenIds = [.. h.TokenIds],
            LossMask = h.LossMask.Select(m => (byte)m).ToArray(),
            TokenLosses = [.. h.TokenLosses],
            Loss = h.Loss,
            Text = h.RenderedText,
            CharStarts = [.. h.CharStarts],
            CharLengths = [.. h.CharLengths],
            Metadata = ToMetadata(h),
            ExampleGradients = layers.Select(l => Factor(l, FactorKind.ExampleGradient)).ToList(),
            TokenInputs = schema.TokenFactors ? layers.Select(l => Factor(l, FactorKind.InputActivation)).ToList() : null,
            TokenOutputGradients = schema.TokenFactors ? layers.Select(l => Factor(l, FactorKind.OutputGradient)).ToList() : null,
        };
    }

    /// <exception cref="DomainException">A column named as one of the store's own fields (InvalidArgument naming the example and column).</exception>
    private static IReadOnlyDictionary<string, Core.Metadata.MetadataValue> ToMetadata(ExampleHeader h)
    {
        if (h.Metadata.Count == 0) return MetadataColumns.None;
        // domain, difficulty and estimated_difficulty always mean the store's own fields (in score chunks and roll-ups), so a
        // corpus column may not take their names: a raw label belongs under another name (e.g. "difficulty_label").
        if (h.Metadata.Keys.FirstOrDefault(MetadataColumns.IsReserved) is { } reserved)
            throw DomainException.InvalidArgument(
                $"example '{h.Id}': metadata column '{reserved}' has a reserved name ({string.Join(", ", MetadataColumns.Reserved)} are the store's own fields); rename it, e.g. '{reserved}_label'",
                "gradient.header.metadata");
        return MetadataWire.FromWire(h.Metadata);
    }

    public static Core.Preconditioning.PreconditionerKind ToKind(Contracts.Scoring.V1.PreconditionerKind kind) => kind switch
    {
        Contracts.Scoring.V1.PreconditionerKind.Identity => Core.Preconditioning.PreconditionerKind.Identity,
        Contracts.Scoring.V1.PreconditionerKind.Diagonal => Core.Preconditioning.PreconditionerKind.Diagonal,
        Contracts.Scoring.V1.PreconditionerKind.Kfac => Core.Preconditioning.PreconditionerKind.Kfac,
        Contracts.Scoring.V1.PreconditionerKind.Ekfac or Contracts.Scoring.V1.PreconditionerKind.Unspecified => Core.Preconditioning.PreconditionerKind.Ekfac,
        _ => throw DomainException.InvalidArgument($"unknown preconditioner kind {kind}", "kind"),
    };

    public static Contracts.Scoring.V1.PreconditionerKind ToWire(Core.Preconditioning.PreconditionerKind kind) => kind switch
    {
        Core.Preconditioning.PreconditionerKind.Identity => Contracts.Scoring.V1.PreconditionerKind.Identity,
        Core.Preconditioning.PreconditionerKind.Diagonal => Contracts.Scoring.V1.PreconditionerKind.Diagonal,
        Core.Preconditioning.PreconditionerKind.Kfac => Contracts.Scoring.V1.PreconditionerKind.Kfac,
        _ => Contracts.Scoring.V1.PreconditionerKind.Ekfac,
    };
}
