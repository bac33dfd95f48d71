using System.Runtime.CompilerServices;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// The stream PureHDF reads an untrusted file through: before every read it checks that the calling
/// thread has stack left, and throws <see cref="InsufficientExecutionStackException"/> (an ordinary,
/// catchable exception) when it does not. PureHDF resolves a soft link by walking its target path, which
/// re-reads the file at each step, with no depth limit: a link cycle that <see cref="Hdf5Metadata"/>
/// cannot see (in a group kept in dense storage) ends here as a refused file instead of a stack overflow,
/// which .NET cannot catch and which stops the process.
/// </summary>
internal sealed class StackGuardStream(Stream inner) : Stream
{
    /// <inheritdoc />
    public override bool CanRead => true;
    /// <inheritdoc />
    public override bool CanSeek => true;
    /// <inheritdoc />
    public override bool CanWrite => false;
    /// <inheritdoc />
    public override long Length => inner.Length;
    /// <inheritdoc />
    public override long Position { get => inner.Position; set => inner.Position = value; }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return inner.Read(buffer);
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return inner.Seek(offset, origin);
    }

    /// <inheritdoc />
    public override void Flush() { }
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
