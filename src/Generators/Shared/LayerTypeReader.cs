using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Layerwise.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layerwise.Generators.Shared;

/// <summary>
/// Reads a <c>[Layer]</c>/<c>[ModelConfig]</c> type into a <see cref="LayerSpec"/>. Shared with the
/// analyzers (they report what this reader finds unsupported: a parameter whose
/// <see cref="ParameterSpec.Value"/> or <see cref="ParameterSpec.Source"/> is null, a type that is
/// not partial or not a layer), so the rules of the two cannot drift apart. Reports nothing itself.
/// </summary>
internal static class LayerTypeReader
{
    static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Whether <paramref name="type"/> is a class the generator can extend (partial, not generic, a Layer).</summary>
    public static bool CanGenerate(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Class
        && !type.IsGenericType
        && IsPartial(type)
        && DerivesFrom(type, KnownNames.Layer)
        && AllContainingTypesPartial(type);

    public static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    static bool AllContainingTypesPartial(INamedTypeSymbol type)
    {
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            if (outer.IsGenericType || !IsPartial(outer)) return false;
        return true;
    }

    public static bool DerivesFrom(ITypeSymbol? type, string metadataName)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (HasFullName(t, metadataName)) return true;
        return false;
    }

    /// <summary>
    /// Whether <paramref name="symbol"/> is the type or namespace named <paramref name="fullName"/>
    /// (<c>Layerwise.Layers.Layer</c>), compared part by part without formatting the symbol: the
    /// transform runs for every attributed type on every edit, so it must be cheap.
    /// </summary>
    public static bool HasFullName(ISymbol? symbol, string fullName)
    {
        int end = fullName.Length;
        var current = symbol;
        while (true)
        {
            int dot = end == 0 ? -1 : fullName.LastIndexOf('.', end - 1);
            int start = dot + 1, length = end - start;
            if (current is null || current.Name.Length != length || string.CompareOrdinal(current.Name, 0, fullName, start, length) != 0)
                return false;
            current = current.ContainingSymbol;
            if (dot < 0) return current is INamespaceSymbol { IsGlobalNamespace: true };
            end = dot;
        }
    }

    /// <summary>The spec of <paramref name="type"/>, or null when it cannot be generated (see <see cref="CanGenerate"/>).</summary>
    public static LayerSpec? Read(INamedTypeSymbol type, AttributeData attribute, bool isModel, Compilation compilation, CancellationToken cancellationToken)
    {
        if (!CanGenerate(type)) return null;
        cancellationToken.ThrowIfCancellationRequested();

        string? package = null, name = null, module = null;
        foreach (var pair in attribute.NamedArguments)
        {
            var value = pair.Value.Value as string;
            switch (pair.Key)
            {
                case "Package": package = value; break;
                case "Name": name = value; break;
                case "Module": module = value; break;
            }
        }
        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        var className = string.IsNullOrEmpty(name) ? type.Name : name!;
        var registeredName = (string.IsNullOrEmpty(package) ? compilation.AssemblyName ?? "" : package) + ">" + className;

        var containing = new List<string>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            containing.Insert(0, (outer.IsRecord ? "partial record " : outer.TypeKind == TypeKind.Struct ? "partial struct " : "partial class ") + outer.Name);

        var constructor = ChooseConstructor(type);
        var parameters = constructor is null
            ? new List<ParameterSpec>()
            : constructor.Parameters.Select(p => ReadParameter(type, p, compilation)).ToList();

        return new LayerSpec(
            Namespace: ns,
            TypeName: type.Name,
            FullyQualifiedName: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            ContainingTypes: new EquatableArray<string>(containing),
            IsModel: isModel,
            IsAbstract: type.IsAbstract,
            RegisteredName: registeredName,
            ClassName: className,
            Module: module ?? ns ?? "",
            EmitGetConfig: !Declares(type, "GetConfig"),
            EmitFromConfig: !type.IsAbstract && constructor is not null && !Declares(type, "FromConfig"),
            // The assembly's registration method names the type, so it must be visible to the module:
            // a private nested layer gets its config code but no registration (LW0005 says so).
            EmitRegistration: !type.IsAbstract && ModuleVisibility.FirstHidden(type) is null,
            FromConfigHidesBase: BaseDeclares(type, "FromConfig"),
            EmitClassName: !Declares(type, "ClassName"),
            Parameters: new EquatableArray<ParameterSpec>(parameters),
            TrackedFields: new EquatableArray<TrackedFieldSpec>(ReadTrackedFields(type, compilation, cancellationToken)));
    }

    static bool Declares(INamedTypeSymbol type, string member) => type.GetMembers(member).Any(m => !m.IsImplicitlyDeclared);

    /// <summary>
    /// Whether a base type has a static <paramref name="member"/> that a new one would hide: declared
    /// there, or about to be generated there (a concrete <c>[Layer]</c> base in the same compilation,
    /// whose generated code this run cannot see).
    /// </summary>
    static bool BaseDeclares(INamedTypeSymbol type, string member)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.GetMembers(member).Any(m => m.IsStatic && m.DeclaredAccessibility != Accessibility.Private)) return true;
            if (!t.IsAbstract && (HasAttribute(t, KnownNames.LayerAttribute) || HasAttribute(t, KnownNames.ModelConfigAttribute))) return true;
        }
        return false;
    }

    /// <summary>The constructor marked <c>[ConfigConstructor]</c>, else the public one with the most parameters.</summary>
    public static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type)
    {
        var constructors = type.InstanceConstructors;
        var marked = constructors.FirstOrDefault(c => HasAttribute(c, KnownNames.ConfigConstructorAttribute));
        if (marked is not null) return marked;
        return constructors
            .Where(c => c.DeclaredAccessibility == Accessibility.Public)
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
    }

    static bool HasAttribute(ISymbol symbol, string metadataName) => GetAttribute(symbol, metadataName) is not null;

    static AttributeData? GetAttribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
            if (HasFullName(attribute.AttributeClass, metadataName)) return attribute;
        return null;
    }

    static ParameterSpec ReadParameter(INamedTypeSymbol type, IParameterSymbol parameter, Compilation compilation)
    {
        var csharpName = SyntaxFacts.GetKeywordKind(parameter.Name) != SyntaxKind.None ? "@" + parameter.Name : parameter.Name;
        var keyOverride = GetAttribute(parameter, KnownNames.ConfigKeyAttribute)?.ConstructorArguments.FirstOrDefault().Value as string;
        var sourceOverride = GetAttribute(parameter, KnownNames.ConfigSourceAttribute)?.ConstructorArguments.FirstOrDefault().Value as string;
        var ignored = HasAttribute(parameter, KnownNames.ConfigIgnoreAttribute);

        var role = ignored ? ParameterRole.Ignored : parameter.Name switch
        {
            "name" when parameter.Type.SpecialType == SpecialType.System_String => ParameterRole.Name,
            "trainable" when parameter.Type.SpecialType == SpecialType.System_Boolean => ParameterRole.Trainable,
            "dtype" when parameter.Type.SpecialType == SpecialType.System_String => ParameterRole.DType,
            "inputShape" when IsLongArray(parameter.Type) => ParameterRole.InputShape,
            _ => ParameterRole.Value,
        };
        var key = keyOverride ?? role switch
        {
            ParameterRole.InputShape => "batch_input_shape",
            _ => Naming.ToSnakeCase(parameter.Name),
        };
        var value = ReadValue(parameter.Type, compilation, depth: 0);
        var sourceName = sourceOverride ?? (role == ParameterRole.InputShape ? "DeclaredInputShape" : parameter.Name);
        var source = role is ParameterRole.Value or ParameterRole.InputShape or ParameterRole.DType
            ? FindSource(type, sourceName, exact: sourceOverride is not null || role == ParameterRole.InputShape, parameter.Type, compilation)
            : null;
        return new ParameterSpec(
            Name: csharpName,
            Key: key,
            Role: role,
            Type: parameter.Type.ToDisplayString(TypeFormat),
            Value: value,
            Source: source,
            DefaultValue: ReadDefault(parameter));
    }

    /// <summary>
    /// The default value of an optional parameter as C# text; null when it has none. Literal defaults
    /// are read from the syntax: asking the symbol (<c>ExplicitDefaultValue</c>) binds the expression,
    /// which was most of the reader's time on each edit (bench/GeneratorBench, GENBENCH_PROFILE=1).
    /// </summary>
    static string? ReadDefault(IParameterSymbol parameter)
    {
        if (parameter.DeclaringSyntaxReferences.Length == 1
            && parameter.DeclaringSyntaxReferences[0].GetSyntax() is ParameterSyntax syntax)
        {
            if (syntax.Default is null) return null;
            var typeText = parameter.Type.ToDisplayString(TypeFormat);
            var underlying = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n.TypeArguments[0] : parameter.Type;
            switch (syntax.Default.Value)
            {
                case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression or (int)SyntaxKind.DefaultLiteralExpression }:
                case DefaultExpressionSyntax:
                    return $"default({typeText})";
                case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression or (int)SyntaxKind.FalseLiteralExpression } b
                    when underlying.SpecialType == SpecialType.System_Boolean:
                    return b.Token.Text;
                case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } str
                    when underlying.SpecialType == SpecialType.System_String:
                    return str.Token.Text;
                case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } number when IsNumeric(underlying):
                    return $"({underlying.ToDisplayString(TypeFormat)})({number.Token.Text})";
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } number }
                    when IsNumeric(underlying):
                    return $"({underlying.ToDisplayString(TypeFormat)})(-{number.Token.Text})";
            }
        }
        // Anything else (an enum member, a constant, metadata): ask the compiler.
        return parameter.HasExplicitDefaultValue ? FormatDefault(parameter.Type, parameter.ExplicitDefaultValue) : null;
    }

    static bool IsNumeric(ITypeSymbol type) => type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
        or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Int16 or SpecialType.System_Byte
        or SpecialType.System_SByte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64
        or SpecialType.System_Decimal;

    static bool IsLongArray(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 1 } array && array.ElementType.SpecialType == SpecialType.System_Int64;

    /// <summary>The member <c>GetConfig</c> reads for a parameter: same name ignoring case, on the type or a base.</summary>
    static string? FindSource(INamedTypeSymbol type, string name, bool exact, ITypeSymbol parameterType, Compilation compilation)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared) continue;
                if (!string.Equals(member.Name, name.TrimStart('@'), exact ? System.StringComparison.Ordinal : System.StringComparison.OrdinalIgnoreCase)) continue;
                if (!SymbolEqualityComparer.Default.Equals(t, type) && member.DeclaredAccessibility == Accessibility.Private) continue;
                ITypeSymbol? memberType = member switch
                {
                    IPropertySymbol { GetMethod: not null, Parameters.Length: 0 } p => p.Type,
                    IFieldSymbol f => f.Type,
                    _ => null,
                };
                if (memberType is null) continue;
                var conversion = compilation.ClassifyConversion(memberType, parameterType);
                if (!conversion.IsImplicit) continue;
                return "this." + (SyntaxFacts.GetKeywordKind(member.Name) != SyntaxKind.None ? "@" : "") + member.Name;
            }
        }
        return null;
    }

    /// <summary>How a value of <paramref name="type"/> is written and read; null when it is not supported.</summary>
    public static ValueSpec? ReadValue(ITypeSymbol type, Compilation compilation, int depth)
    {
        if (depth > 8) return null;
        var display = type.ToDisplayString(TypeFormat);
        ValueSpec Simple(ValueKind kind) => new(kind, display, EquatableArray<ValueSpec>.Empty, EquatableArray<string>.Empty, null);
        ValueSpec? Wrap(ValueKind kind, ITypeSymbol element)
        {
            var inner = ReadValue(element, compilation, depth + 1);
            return inner is null ? null : new ValueSpec(kind, display, new EquatableArray<ValueSpec>(new[] { inner }), EquatableArray<string>.Empty, null);
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            return Wrap(ValueKind.NullableValue, nullable.TypeArguments[0]);
        if (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)
            return Wrap(ValueKind.NullableReference, type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return Simple(ValueKind.Boolean);
            case SpecialType.System_Int32: return Simple(ValueKind.Int32);
            case SpecialType.System_Int64: return Simple(ValueKind.Int64);
            case SpecialType.System_Single: return Simple(ValueKind.Single);
            case SpecialType.System_Double: return Simple(ValueKind.Double);
            case SpecialType.System_String: return Simple(ValueKind.String);
        }
        if (type.TypeKind == TypeKind.Enum)
        {
            var members = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst)
                .Select(f => f.Name + "=" + Naming.ToSnakeCase(f.Name));
            return new ValueSpec(ValueKind.Enum, display, EquatableArray<ValueSpec>.Empty, new EquatableArray<string>(members), null);
        }
        if (type is IArrayTypeSymbol { Rank: 1 } array)
            return Wrap(ValueKind.Array, array.ElementType);
        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
        {
            var elements = tuple.TupleElements;
            if (elements.Length is < 2 or > 4) return null;
            var items = elements.Select(e => ReadValue(e.Type, compilation, depth + 1)).ToList();
            if (items.Any(i => i is null)) return null;
            return new ValueSpec(ValueKind.Tuple, display, new EquatableArray<ValueSpec>(items!), EquatableArray<string>.Empty, null);
        }
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && generic.Name is "List" or "IList" or "IReadOnlyList" or "IEnumerable" or "ICollection" or "IReadOnlyCollection"
            && HasFullName(generic.ContainingNamespace, "System.Collections.Generic"))
            return Wrap(ValueKind.List, generic.TypeArguments[0]);
        if (DerivesFrom(type, KnownNames.Layer))
            return Simple(ValueKind.Layer);
        for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
        {
            var converter = GetAttribute(t, KnownNames.ConfigConverterAttribute);
            if (converter?.ConstructorArguments.FirstOrDefault().Value is INamedTypeSymbol converterType)
                return new ValueSpec(ValueKind.Converter, display, EquatableArray<ValueSpec>.Empty, EquatableArray<string>.Empty,
                    converterType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        }
        return null;
    }

    /// <summary>A C# expression for a parameter's default value.</summary>
    static string FormatDefault(ITypeSymbol type, object? value)
    {
        var typeText = type.ToDisplayString(TypeFormat);
        if (value is null) return $"default({typeText})";
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n.TypeArguments[0] : type;
        if (underlying.TypeKind == TypeKind.Enum)
            return $"({underlying.ToDisplayString(TypeFormat)})({SymbolDisplay.FormatPrimitive(value, quoteStrings: false, useHexadecimalNumbers: false)})";
        switch (value)
        {
            case string s: return SymbolDisplay.FormatLiteral(s, quote: true);
            case bool b: return b ? "true" : "false";
            case double d:
                if (double.IsNaN(d)) return "double.NaN";
                if (double.IsPositiveInfinity(d)) return "double.PositiveInfinity";
                if (double.IsNegativeInfinity(d)) return "double.NegativeInfinity";
                return d.ToString("R", CultureInfo.InvariantCulture) + "D";
            case float f:
                if (float.IsNaN(f)) return "float.NaN";
                if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
                if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
                return f.ToString("R", CultureInfo.InvariantCulture) + "F";
            case char c: return SymbolDisplay.FormatLiteral(c, quote: true);
            default:
                return $"({underlying.ToDisplayString(TypeFormat)})({SymbolDisplay.FormatPrimitive(value, quoteStrings: false, useHexadecimalNumbers: false)})";
        }
    }

    /// <summary>The type's own Variable and Layer fields, in declaration order, with their Keras names.</summary>
    static List<TrackedFieldSpec> ReadTrackedFields(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var result = new List<TrackedFieldSpec>();
        Dictionary<string, string>? weightNames = null;
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            if (field.IsStatic || field.IsConst || field.IsImplicitlyDeclared) continue;
            if (HasAttribute(field, KnownNames.NotTrackedAttribute)) continue;
            var kind = TrackedKindOf(field.Type);
            if (kind is null) continue;
            var name = Naming.ToSnakeCase(field.Name);
            if (kind == TrackedKind.Variable)
            {
                weightNames ??= ReadAddWeightNames(type, cancellationToken);
                if (weightNames.TryGetValue(field.Name, out var weightName)) name = weightName;
            }
            var fieldName = SyntaxFacts.GetKeywordKind(field.Name) != SyntaxKind.None ? "@" + field.Name : field.Name;
            result.Add(new TrackedFieldSpec(fieldName, name, kind.Value));
        }
        return result;
    }

    public static TrackedKind? TrackedKindOf(ITypeSymbol type)
    {
        if (HasFullName(type, KnownNames.Variable))
            return TrackedKind.Variable;
        if (DerivesFrom(type, KnownNames.Layer)) return TrackedKind.Layer;
        var element = type switch
        {
            IArrayTypeSymbol { Rank: 1 } a => a.ElementType,
            INamedTypeSymbol n => n.AllInterfaces.Concat(n.TypeKind == TypeKind.Interface ? new[] { n } : System.Array.Empty<INamedTypeSymbol>())
                .FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0],
            _ => null,
        };
        return element is not null && DerivesFrom(element, KnownNames.Layer) ? TrackedKind.LayerList : null;
    }

    /// <summary>Weight names from <c>field = AddWeight("name", ...)</c> assignments in the type's own code.</summary>
    static Dictionary<string, string> ReadAddWeightNames(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var assignment in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                var target = assignment.Left switch
                {
                    IdentifierNameSyntax id => id.Identifier.ValueText,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax id } => id.Identifier.ValueText,
                    _ => null,
                };
                if (target is null || names.ContainsKey(target)) continue;
                if (assignment.Right is not InvocationExpressionSyntax invocation) continue;
                var method = invocation.Expression switch
                {
                    IdentifierNameSyntax id => id.Identifier.ValueText,
                    GenericNameSyntax g => g.Identifier.ValueText,
                    MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
                    _ => null,
                };
                if (method != "AddWeight") continue;
                var argument = invocation.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "name")
                               ?? invocation.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon is null);
                if (argument?.Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal)
                    names[target] = literal.Token.ValueText;
            }
        }
        return names;
    }
}
