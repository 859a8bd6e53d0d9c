using System.Buffers;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace CreditLedger.Contracts;

/// <summary>
/// Carries a value parsed at the edge across the grain interface in its text form, written exactly as a
/// <see cref="string"/> field is. A field that was that text and became the parsed type keeps its wire form, so that
/// processes of this version and the previous one understand each other during a rolling upgrade. Only values parsed
/// at the edge are ever written, so reading one back trusts its text.
/// </summary>
/// <typeparam name="T">The parsed value type.</typeparam>
public abstract class StringFormCodec<T>(Func<T, string?> format, Func<string?, T> parse) : IFieldCodec<T>
    where T : struct
{
    /// <inheritdoc />
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, T value)
        where TBufferWriter : IBufferWriter<byte> =>
        StringCodec.WriteField(ref writer, fieldIdDelta, format(value));

    /// <inheritdoc />
    public T ReadValue<TInput>(ref Reader<TInput> reader, Field field) => parse(StringCodec.ReadValue(ref reader, field));
}

/// <summary>A value type passed as it is by calls within a process.</summary>
/// <typeparam name="T">The immutable value type.</typeparam>
public abstract class ValueCopier<T> : IDeepCopier<T>
    where T : struct
{
    /// <inheritdoc />
    public T DeepCopy(T input, CopyContext context) => input;
}

/// <summary>A <see cref="CreditType"/> on the wire: its code.</summary>
[RegisterSerializer]
public sealed class CreditTypeCodec() : StringFormCodec<CreditType>(type => type.Code, code => code is null ? default : CreditType.Parse(code));

/// <summary>A <see cref="GrantCategory"/> on the wire: its name (<c>paid</c>, <c>promotional</c>).</summary>
[RegisterSerializer]
public sealed class GrantCategoryCodec() : StringFormCodec<GrantCategory>(
    WireNames.Of,
    name => WireNames.TryParseCategory(name, out var category) ? category : throw new InvalidDataException($"Unknown grant category on the wire: {name}."));

/// <summary>A <see cref="GrantStatus"/> on the wire: its name (<c>active</c>, <c>expired</c>, ...).</summary>
[RegisterSerializer]
public sealed class GrantStatusCodec() : StringFormCodec<GrantStatus>(
    WireNames.Of,
    name => WireNames.TryParseGrantStatus(name, out var status) ? status : throw new InvalidDataException($"Unknown grant status on the wire: {name}."));

/// <summary>Credit types are immutable values.</summary>
[RegisterCopier]
public sealed class CreditTypeCopier : ValueCopier<CreditType>;

/// <summary>Grant categories are values.</summary>
[RegisterCopier]
public sealed class GrantCategoryCopier : ValueCopier<GrantCategory>;

/// <summary>Grant statuses are values.</summary>
[RegisterCopier]
public sealed class GrantStatusCopier : ValueCopier<GrantStatus>;
