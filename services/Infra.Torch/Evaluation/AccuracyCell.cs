namespace Infra.Torch.Evaluation;

/// <summary>Accuracy over the items of one domain and difficulty.</summary>
public sealed record AccuracyCell(string Domain, int Difficulty, int Items, int Correct)
{
    /// <summary>Correct / Items.</summary>
    public double Accuracy => Items == 0 ? 0 : (double)Correct / Items;
}
