namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// TensorFlow's <c>DataType</c> enum (types.proto), for the types a bundle entry may hold.
/// Numbers are the wire values; only those listed here are read, others are reported as unsupported.
/// </summary>
public enum TensorDataType
{
    Invalid = 0,
    Float = 1,
    Double = 2,
    Int32 = 3,
    UInt8 = 4,
    Int16 = 5,
    Int8 = 6,
    String = 7,
    Int64 = 9,
    Bool = 10,
    BFloat16 = 14,
    UInt16 = 17,
    Half = 19,
    UInt32 = 22,
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
