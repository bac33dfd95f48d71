namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// TensorFlow's <c>DataType</c> enum (types.proto), for the types a bundle entry may hold.
/// Numbers are the wire values; only those listed here are read, others are reported as unsupported.
/// </summary>
public enum TensorDataType
{
    /// <summary>No type (<c>DT_INVALID</c>).</summary>
    Invalid = 0,
    /// <summary>32-bit float (<c>DT_FLOAT</c>).</summary>
    Float = 1,
    /// <summary>64-bit float (<c>DT_DOUBLE</c>).</summary>
    Double = 2,
    /// <summary>32-bit integer (<c>DT_INT32</c>).</summary>
    Int32 = 3,
    /// <summary>8-bit unsigned integer (<c>DT_UINT8</c>).</summary>
    UInt8 = 4,
    /// <summary>16-bit integer (<c>DT_INT16</c>).</summary>
    Int16 = 5,
    /// <summary>8-bit integer (<c>DT_INT8</c>).</summary>
    Int8 = 6,
    /// <summary>Byte strings (<c>DT_STRING</c>), e.g. the object graph.</summary>
    String = 7,
    /// <summary>64-bit integer (<c>DT_INT64</c>), e.g. optimizer iterations.</summary>
    Int64 = 9,
    /// <summary>Boolean (<c>DT_BOOL</c>).</summary>
    Bool = 10,
    /// <summary>bfloat16 (<c>DT_BFLOAT16</c>).</summary>
    BFloat16 = 14,
    /// <summary>16-bit unsigned integer (<c>DT_UINT16</c>).</summary>
    UInt16 = 17,
    /// <summary>16-bit float (<c>DT_HALF</c>).</summary>
    Half = 19,
    /// <summary>32-bit unsigned integer (<c>DT_UINT32</c>).</summary>
    UInt32 = 22,
    /// <summary>64-bit unsigned integer (<c>DT_UINT64</c>).</summary>
    UInt64 = 23,
}

internal static class TensorDataTypes
{
    /// <summary>Bytes per element, or 0 for types without a fixed size (strings) or unknown ones.</summary>
    public static int ElementSize(TensorDataType type) => type switch
    {
        TensorDataType.Float or TensorDataType.Int32 or TensorDataType.UInt32 => 4,
        TensorDataType.Double or TensorDataType.Int64 or TensorDataType.UInt64 => 8,
        TensorDataType.UInt8 or TensorDataType.Int8 or TensorDataType.Bool => 1,
        TensorDataType.Int16 or TensorDataType.UInt16 or TensorDataType.Half or TensorDataType.BFloat16 => 2,
        _ => 0,
    };

    /// <summary>TensorFlow's lower-case name (<c>float32</c>, <c>int64</c>), as error messages show it.</summary>
    public static string Name(TensorDataType type) => type switch
    {
        TensorDataType.Float => "float32",
        TensorDataType.Double => "float64",
        TensorDataType.Half => "float16",
        TensorDataType.BFloat16 => "bfloat16",
        TensorDataType.String => "string",
        TensorDataType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };
}
