using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Checkpoints;
using Infra.Core.Text;
using Infra.Torch.Evaluation;
using Infra.Torch.Generation;
using Infra.Torch.Model;
using static TorchSharp.torch;
using CoreChatFormat = Infra.Core.Text.ChatFormat;

namespace Infra.Gradients.Tests;

/// <summary>Generate over a real loopback port against <see cref="GreedyDecoder"/> run directly on the same checkpoint.</summary>
public sealed class GenerateTests(LoopbackHostFixture fixture) : IClassFixture<LoopbackHostFixture>
{
    private readonly GradientService.GradientServiceClient _client = new(fixture.Host.Channel);

    [Fact]
    public async Task Answers_equal_greedy_decoding_of_the_chat_rendered_prompt()
    {
        var request = new GenerateRequest { MaxNewTokens = 12 };
        request.Prompts.Add(new GenerationPrompt { Id = "a", Prompt = "What is 7 * 6?" });
        request.Prompts.Add(new GenerationPrompt { Id = "b", Prompt = "Reverse 'abc' in Python.", System = "Be brief." });
        var reply = await _client.GenerateAsync(request);

        using var checkpoint = CheckpointFolder.Open(fixture.Host.ModelPath);
        using var model = CheckpointLoader.Load(checkpoint, CPU, ScalarType.Float32);
        var tokenizer = HfTokenizer.LoadFolder(fixture.Host.ModelPath);
        var stopIds = Evaluator.StopIds(model, tokenizer);
        Assert.Equal(["a", "b"], reply.Answers.Select(a => a.Id));
        foreach (var (prompt, answer) in request.Prompts.Zip(reply.Answers))
        {
            var ids = Evaluator.PromptIds(tokenizer, string.IsNullOrEmpty(prompt.System) ? null : prompt.System, prompt.Prompt, CoreChatFormat.Qwen25);
            var expected = GreedyDecoder.Generate(model, ids, 12, stopIds);
            Assert.Equal(expected, answer.TokenIds);
            var stopped = expected.Length > 0 && stopIds.Contains(expected[^1]);
            Assert.Equal(stopped, answer.Stopped);
            Assert.Equal(tokenizer.Decode(stopped ? expected[..^1] : expected), answer.Answer);
            Assert.Equal((uint)ids.Length, answer.PromptTokens);
            Assert.True(answer.TokenIds.Count is > 0 and <= 12);
        }
    }

    [Fact]
    public async Task Default_budget_is_256_new_tokens_capped_by_max_length()
    {
        var request = new GenerateRequest();
        request.Prompts.Add(new GenerationPrompt { Id = "a", Prompt = "Count to ten." });
        var reply = await _client.GenerateAsync(request);
        var answer = Assert.Single(reply.Answers);
        // The seeded model rarely emits a stop token: then it decodes exactly min(256, 512 - prompt) tokens.
        if (!answer.Stopped) Assert.Equal(Math.Min(256, 512 - (int)answer.PromptTokens), answer.TokenIds.Count);
        else Assert.True(answer.TokenIds.Count <= 256);
    }

    [Theory]
    [InlineData("", "What?", "prompt 0 has no id")]
    [InlineData("x", "  ", "prompt 'x' is empty")]
    public async Task Bad_prompts_are_invalid_arguments(string id, string prompt, string message)
    {
        var request = new GenerateRequest();
        request.Prompts.Add(new GenerationPrompt { Id = id, Prompt = prompt });
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GenerateAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_prompts_is_an_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GenerateAsync(new GenerateRequest()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("no prompts", error.Status.Detail, StringComparison.Ordinal);
    }
}
