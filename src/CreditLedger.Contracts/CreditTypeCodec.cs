using System.Buffers;
using CreditLedger.Domain;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace CreditLedger.Contracts;

/// <summary>
/// Carries a <see cref="CreditType"/> across the grain interface as its code, exactly as a <see cref="string"/> field is
/// written. A field that was a code string and became a <see cref="CreditType"/> (or back) keeps its wire form, so that
/// processes of this version and the previous one understand each other during a rolling upgrade. Only codes parsed at
/// the edge are ever written, so reading one back trusts it (<see cref="CreditType.Parse"/>).
/// </summary>
[RegisterSerializer]
public sealed class CreditTypeCodec : IFieldCodec<CreditType>
{
    /// <inheritdoc />
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, CreditType value)
        where TBufferWriter : IBufferWriter<byte> =>
        StringCodec.WriteField(ref writer, fieldIdDelta, value.Code);

    /// <inheritdoc />
    public CreditType ReadValue<TInput>(ref Reader<TInput> reader, Field field) =>
        StringCodec.ReadValue(ref reader, field) is { } code ? CreditType.Parse(code) : default;
}

/// <summary>A <see cref="CreditType"/> is an immutable value: calls within a process pass it as it is.</summary>
[RegisterCopier]
public sealed class CreditTypeCopier : IDeepCopier<CreditType>
{
    /// <inheritdoc />
    public CreditType DeepCopy(CreditType input, CopyContext context) => input;
}
