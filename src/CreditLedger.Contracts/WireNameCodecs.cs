using System.Buffers;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace CreditLedger.Contracts;

/// <summary>
/// Carries a <see cref="GrantCategory"/> across the grain interface as its wire name (<c>paid</c>, <c>promotional</c>),
/// exactly as the string field it replaced was written (see <see cref="CreditTypeCodec"/> on rolling upgrades).
/// </summary>
[RegisterSerializer]
public sealed class GrantCategoryCodec : IFieldCodec<GrantCategory>
{
    /// <inheritdoc />
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, GrantCategory value)
        where TBufferWriter : IBufferWriter<byte> =>
        StringCodec.WriteField(ref writer, fieldIdDelta, WireNames.Of(value));

    /// <inheritdoc />
    public GrantCategory ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        var name = StringCodec.ReadValue(ref reader, field);
        return WireNames.TryParseCategory(name, out var category)
            ? category
            : throw new InvalidDataException($"Unknown grant category on the wire: {name}.");
    }
}

/// <summary>Carries a <see cref="GrantStatus"/> across the grain interface as its wire name, as the string it replaced.</summary>
[RegisterSerializer]
public sealed class GrantStatusCodec : IFieldCodec<GrantStatus>
{
    /// <inheritdoc />
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, GrantStatus value)
        where TBufferWriter : IBufferWriter<byte> =>
        StringCodec.WriteField(ref writer, fieldIdDelta, WireNames.Of(value));

    /// <inheritdoc />
    public GrantStatus ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        var name = StringCodec.ReadValue(ref reader, field);
        return WireNames.TryParseGrantStatus(name, out var status)
            ? status
            : throw new InvalidDataException($"Unknown grant status on the wire: {name}.");
    }
}

/// <summary>A grant category is a value: calls within a process pass it as it is.</summary>
[RegisterCopier]
public sealed class GrantCategoryCopier : IDeepCopier<GrantCategory>
{
    /// <inheritdoc />
    public GrantCategory DeepCopy(GrantCategory input, CopyContext context) => input;
}

/// <summary>A grant status is a value: calls within a process pass it as it is.</summary>
[RegisterCopier]
public sealed class GrantStatusCopier : IDeepCopier<GrantStatus>
{
    /// <inheritdoc />
    public GrantStatus DeepCopy(GrantStatus input, CopyContext context) => input;
}
