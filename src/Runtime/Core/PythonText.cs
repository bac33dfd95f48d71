using System.Globalization;

namespace Layerwise;

/// <summary>
/// Numbers written the way Python writes them, for text Keras produces with <c>str()</c> or an
/// f-string (callback messages, <c>CSVLogger</c> rows, checkpoint file names).
/// </summary>
internal static class PythonText
{
    /// <summary>
    /// Python's <c>repr(float)</c> (= <c>str</c>): the shortest digits that round-trip, positional for
    /// decimal exponents -4..15 (always with a decimal point: <c>1.0</c>), otherwise <c>1e-05</c> /
    /// <c>1e+16</c>; <c>nan</c>, <c>inf</c>, <c>-inf</c>.
    /// </summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        // .NET's default format is the shortest round-trip digits too, laid out its own way: take its digits and exponent.
        var text = value.ToString(CultureInfo.InvariantCulture);
        bool negative = text.StartsWith('-');
        if (negative) text = text[1..];
        int e = text.IndexOf('E');
        int exponent = e >= 0 ? int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture) : 0;
        var mantissa = e >= 0 ? text[..e] : text;
        int point = mantissa.IndexOf('.');
        var digits = point >= 0 ? mantissa.Remove(point, 1) : mantissa;
        int integerDigits = (point >= 0 ? point : mantissa.Length) + exponent;   // digits before the decimal point
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        integerDigits -= leadingZeros;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) return negative ? "-0.0" : "0.0";
        int decimalExponent = integerDigits - 1;   // of the first significant digit
        string body;
        if (decimalExponent is >= -4 and < 16)
        {
            if (integerDigits <= 0) body = "0." + new string('0', -integerDigits) + digits;
            else if (integerDigits >= digits.Length) body = digits + new string('0', integerDigits - digits.Length) + ".0";
            else body = digits[..integerDigits] + "." + digits[integerDigits..];
        }
        else
        {
            var significand = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            body = $"{significand}e{(decimalExponent < 0 ? '-' : '+')}{Math.Abs(decimalExponent):00}";
        }
        return negative ? "-" + body : body;
    }
}
