using Infra.Core.Compression;
using Infra.Core.Scoring;
using Infra.Core.Tests.Store;

namespace Infra.Core.Tests.Scoring;

public sealed class ScoreFidelityRuleTests
{
    // The whole truth table: exact only for an identity projection, float32 storage, and no store-fitted preconditioner.
    [Theory]
    [InlineData(true, FactorDType.Float32, false, true)]
    [InlineData(true, FactorDType.Float32, true, false)]
    [InlineData(true, FactorDType.BFloat16, false, false)]
    [InlineData(true, FactorDType.Float16, false, false)]
    [InlineData(true, FactorDType.Int8, false, false)]
    [InlineData(true, FactorDType.BFloat16, true, false)]
    [InlineData(false, FactorDType.Float32, false, false)]
    [InlineData(false, FactorDType.Float32, true, false)]
    [InlineData(false, FactorDType.BFloat16, false, false)]
    [InlineData(false, FactorDType.Int8, true, false)]
    public void Only_identity_float32_stores_without_a_store_preconditioner_are_exact(bool identity, FactorDType dtype, bool storePreconditioner, bool exact)
    {
        var schema = StoreFixtures.Schema(dtype) with { ProjectionIdentity = identity };
        Assert.Equal(exact, ScoreFidelityRule.IsExact(schema, storePreconditioner));
    }
}
