using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Infra.Aggregation.Tests.Fuzz;

/// <summary>
/// Mutates protobuf messages through reflection, seeded: walks into a random field (nested messages too) and sets
/// an extreme or malformed value: NaN, ±Inf, negative and huge numbers, 2^32-1, unknown enum values, empty,
/// 300-character and odd-charset strings, random bytes; clears, duplicates or empties lists and sub-messages.
/// </summary>
internal sealed class MessageMutator(int seed, IReadOnlyDictionary<string, string[]>? pinnedStrings = null)
{
    private static readonly double[] Doubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, 0, -0.0, 1e308, 1e-308, 0.5, 2];
    private static readonly int[] Int32s = [int.MinValue, -1, 0, 1, 2, 7, int.MaxValue];
    private static readonly long[] Int64s = [long.MinValue, -1, 0, 1, long.MaxValue];
    private static readonly uint[] UInt32s = [0, 1, 2, 1000, 1_000_000, 1u << 31, uint.MaxValue];
    private static readonly ulong[] UInt64s = [0, 1, 1UL << 32, ulong.MaxValue];
    private static readonly int[] EnumValues = [-1, 0, 1, 2, 3, 4, 99, int.MaxValue];
    private static readonly string[] Strings =
    [
        "", new string('x', 300), "../../etc/passwd", "/", "a/b\\c", "名前-ü", "\0", " \t\n", "𝛼𝛽", "%s%n{0}", "*", "nope", "NaN",
    ];

    private readonly Random _random = new(seed);

    /// <summary>A mutated copy of <paramref name="message"/>: one to three mutations.</summary>
    public T Mutate<T>(T message) where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        var copy = message.Clone();
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++) MutateOne(copy, depth: 0);
        return copy;
    }

    /// <summary>Random bytes (length 1 to 64): rarely a valid message.</summary>
    public byte[] RandomBytes()
    {
        var bytes = new byte[1 + _random.Next(64)];
        _random.NextBytes(bytes);
        return bytes;
    }

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    private void MutateOne(IMessage message, int depth)
    {
        var fields = message.Descriptor.Fields.InDeclarationOrder();
        if (fields.Count == 0) return;
        var field = fields[_random.Next(fields.Count)];
        var accessor = field.Accessor;
        if (field.IsMap) return;
        if (field.IsRepeated)
        {
            MutateList(field, (IList)accessor.GetValue(message), depth);
            return;
        }
        if (field.FieldType == FieldType.Message)
        {
            var current = (IMessage?)accessor.GetValue(message);
            switch (_random.Next(4))
            {
                case 0: accessor.Clear(message); break;
                case 1: accessor.SetValue(message, field.MessageType.Parser.ParseFrom(ByteString.Empty)); break;
                default:
                    if (current is null || depth > 4) accessor.SetValue(message, field.MessageType.Parser.ParseFrom(ByteString.Empty));
                    else MutateOne(current, depth + 1);
                    break;
            }
            return;
        }
        accessor.SetValue(message, Scalar(field));
    }

    private void MutateList(FieldDescriptor field, IList list, int depth)
    {
        switch (_random.Next(4))
        {
            case 0:
                list.Clear();
                break;
            case 1 when list.Count > 0:
                // A duplicate (ids twice, a header twice, ...).
                var item = list[_random.Next(list.Count)];
                list.Add(item is IMessage m ? m.Descriptor.Parser.ParseFrom(m.ToByteString()) : item);
                break;
            case 2 when field.FieldType == FieldType.Message && list.Count > 0:
                MutateOne((IMessage)list[_random.Next(list.Count)]!, depth + 1);
                break;
            default:
                if (field.FieldType == FieldType.Message) list.Add(field.MessageType.Parser.ParseFrom(ByteString.Empty));
                else
                {
                    var n = 1 + _random.Next(_random.Next(4) == 0 ? 300 : 3);
                    for (var i = 0; i < n; i++) list.Add(Scalar(field));
                }
                break;
        }
    }

    private object Scalar(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Double => Pick(Doubles),
        FieldType.Float => (float)Pick(Doubles),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Pick(Int32s),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Pick(Int64s),
        FieldType.UInt32 or FieldType.Fixed32 => Pick(UInt32s),
        FieldType.UInt64 or FieldType.Fixed64 => Pick(UInt64s),
        FieldType.Bool => _random.Next(2) == 0,
        FieldType.String => pinnedStrings is not null && pinnedStrings.TryGetValue(field.Name, out var pinned) ? Pick(pinned) : Pick(Strings),
        FieldType.Bytes => ByteString.CopyFrom(RandomBytes()),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, Pick(EnumValues)),
        _ => throw new NotSupportedException($"field type {field.FieldType}"),
    };

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];
}
