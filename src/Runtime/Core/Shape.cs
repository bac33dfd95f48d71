using System.Collections;

namespace Layerwise;

/// <summary>
/// A tensor shape that prints as Keras and NumPy print shapes: <c>(1000, 10)</c>, <c>(None, 28, 28, 1)</c>
/// (an unknown dimension, -1, is <c>None</c>), <c>(5,)</c> for rank 1 and <c>()</c> for a scalar. Immutable,
/// compared by value, and convertible to and from the <c>long[]</c> TorchSharp uses, so it can be passed
/// wherever a <c>long[]</c> shape is taken. Get one from a tensor with <see cref="TensorShapeExtensions.KerasShape"/>:
/// <c>Console.WriteLine(model.Predict(x).KerasShape())</c> prints <c>(1000, 10)</c>.
/// </summary>
public sealed class Shape : IReadOnlyList<long>, IEquatable<Shape>
{
    readonly long[] dimensions;

    /// <summary>A shape with the given dimensions (copied); -1 (<see cref="Layerwise.Dimensions.Unknown"/>) marks an unknown one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below -1.</exception>
    public Shape(params long[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        foreach (var d in dimensions)
            if (d < Layerwise.Dimensions.Unknown)
                throw new ArgumentOutOfRangeException(nameof(dimensions), d, $"A shape's sizes are 0 or more, or -1 for unknown (Keras' None); received [{string.Join(", ", dimensions)}].");
        this.dimensions = [.. dimensions];
    }

    /// <summary>The number of dimensions (Keras' <c>len(shape)</c>, TorchSharp's <c>dim()</c>).</summary>
    public int Rank => dimensions.Length;

    /// <summary>The number of dimensions, as <see cref="IReadOnlyCollection{T}"/> counts them (same as <see cref="Rank"/>).</summary>
    public int Count => dimensions.Length;

    /// <summary>The size of dimension <paramref name="index"/> (-1 when unknown); <c>shape[^1]</c> is the last.</summary>
    public long this[int index] => index >= 0 && index < dimensions.Length
        ? dimensions[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Shape {this} has {Rank} dimension(s).");

    /// <summary>The dimensions from <paramref name="start"/>, <paramref name="length"/> of them: <c>shape[1..]</c> drops the batch dimension.</summary>
    public Shape Slice(int start, int length) => new(dimensions.AsSpan(start, length).ToArray());

    /// <summary>Whether every dimension is known (Keras' <c>TensorShape.is_fully_defined</c>).</summary>
    public bool IsFullyDefined => Layerwise.Dimensions.AllKnown(dimensions);

    /// <summary>A copy of the dimensions, as TorchSharp takes them.</summary>
    public long[] ToArray() => [.. dimensions];

    /// <summary>A <c>long[]</c> shape as a <see cref="Shape"/> (copied).</summary>
    public static implicit operator Shape(long[] dimensions) => new(dimensions);

    /// <summary>The dimensions as a new <c>long[]</c>, for TorchSharp calls.</summary>
    public static implicit operator long[](Shape shape) => shape.ToArray();

    /// <summary>Keras' text: <c>(1000, 10)</c>, <c>(None, 28, 28, 1)</c>, <c>(5,)</c>, <c>()</c>.</summary>
    public override string ToString() => ShapeText.Format(dimensions);

    /// <summary>Same rank and the same sizes (-1 equals only -1).</summary>
    public bool Equals(Shape? other) => other is not null && dimensions.AsSpan().SequenceEqual(other.dimensions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in dimensions) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape? left, Shape? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape? left, Shape? right) => !(left == right);

    /// <inheritdoc/>
    public IEnumerator<long> GetEnumerator() => ((IEnumerable<long>)dimensions).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
