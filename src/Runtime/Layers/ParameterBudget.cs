using Layerwise.Formats;

namespace Layerwise.Layers;

/// <summary>
/// The parameter budget of a model being created from a file or config (<see cref="LoadLimits"/>):
/// every weight <see cref="Layer"/> creates is charged here before its memory is allocated, so a
/// config that asks for billions of parameters is refused, as a <see cref="ModelFileException"/> naming
/// the file, before libtorch allocates (or fails to allocate) anything. Negative sizes are refused
/// always: libtorch rejects them with an untyped native error. The budget flows with the async context.
/// </summary>
internal static class ParameterBudget
{
    sealed class Scope(long limit, string filePath, string objectPath, string explanation, Scope? outer) : IDisposable
    {
        public readonly long Limit = limit;
        public readonly string FilePath = filePath, ObjectPath = objectPath, Explanation = explanation;
        public long Used;

        public void Dispose() => current.Value = outer;
    }

    static readonly AsyncLocal<Scope?> current = new();

    /// <summary>Until disposed, weights are charged against what a file of <paramref name="storedBytes"/> bytes of weight data can hold.</summary>
    public static IDisposable ForFile(string filePath, string objectPath, long storedBytes) =>
        LoadLimits.RequireStoredWeights
            ? Begin(Math.Max(storedBytes, 0) / 2, filePath, objectPath,
                $"the file holds {storedBytes} bytes of weight data, enough for at most {Math.Max(storedBytes, 0) / 2} parameters (two bytes each, float16 being the smallest weight type). " +
                "If its datasets are compressed, set LoadLimits.RequireStoredWeights = false (then LoadLimits.MaxParameters applies)")
            : ForConfig(filePath, objectPath);

    /// <summary>Until disposed, weights are charged against <see cref="LoadLimits.MaxParameters"/>.</summary>
    public static IDisposable ForConfig(string filePath, string objectPath) =>
        Begin(LoadLimits.MaxParameters, filePath, objectPath,
            $"a model created from a config may have at most LoadLimits.MaxParameters = {LoadLimits.MaxParameters} parameters; raise it to create a larger one");

    static Scope Begin(long limit, string filePath, string objectPath, string explanation)
    {
        var scope = new Scope(limit, filePath, objectPath, explanation, current.Value);
        current.Value = scope;
        return scope;
    }

    /// <summary>Checks <paramref name="shape"/> and charges its size; throws before anything is allocated.</summary>
    public static void Charge(string layerName, string weightName, long[] shape)
    {
        long elements = 1;
        bool overflow = false;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                var message = $"layer \"{layerName}\" would create weight \"{weightName}\" of shape {ShapeText.Format(shape)}: " +
                              "a weight's sizes must be 0 or more (a size in the config is negative, or an input dimension it depends on is unknown).";
                throw current.Value is { } s ? new ModelFileException(s.FilePath, s.ObjectPath, message) : new LayerwiseException(message);
            }
            try { elements = checked(elements * d); }
            catch (OverflowException) { overflow = true; }
        }
        if (current.Value is not { } scope) return;
        if (overflow || elements > scope.Limit - scope.Used)
            throw new ModelFileException(scope.FilePath, scope.ObjectPath,
                $"the model it describes is too large: layer \"{layerName}\" would create weight \"{weightName}\" of shape {ShapeText.Format(shape)} " +
                $"({(overflow ? "more than 2^63" : elements.ToString())} parameters) after {scope.Used} others, over the budget of {scope.Limit}: {scope.Explanation}.");
        scope.Used += elements;
    }
}
