using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// Saving and loading a trained model: a zip with <c>manifest.json</c> (format and feature schema versions, method,
/// calibration, evaluation, goal vocabulary, pre-filter weights, the ridge models) and, for ML.NET candidates, their
/// model files; a file of another format or schema is refused with "retrain the model".
/// </summary>
public sealed partial class MatchModel
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var blend = _predictor as BlendPredictor;
            var ridge = (blend?.First ?? _predictor) as RidgePredictor;
            var ridgeFolds = _folds.Select(f => (f as BlendPredictor)?.First ?? f).OfType<RidgePredictor>().Select(r => r.Model).ToList();
            var manifest = new ModelManifest(
                FileFormatVersion, PairFeatures.SchemaVersion, PairFeatures.Names, Method, Seed, ColdStartReason, Calibration, Evaluation, _baseline,
                Goals, [.. PrefilterWeights], ridge?.Model, ridgeFolds, blend?.Scaling);
            using (var stream = zip.CreateEntry("manifest.json").Open())
            {
                JsonSerializer.Serialize(stream, manifest, Json);
            }

            var schema = MatchTrainer.Load(_ml, [_baseline]).Schema;
            if ((blend?.Second ?? _predictor) is MlNetPredictor final)
            {
                SaveMlNet(zip, "mlnet.zip", final.Model, schema);
                for (var i = 0; i < _folds.Length; i++)
                {
                    SaveMlNet(zip, $"mlnet-fold-{i}.zip", ((MlNetPredictor)((_folds[i] as BlendPredictor)?.Second ?? _folds[i])).Model, schema);
                }
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads a saved model; refuses a file of another format or feature schema version.</summary>
    public static MatchModel Load(string path)
    {
        using var file = File.OpenRead(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Read);
        var manifestEntry = zip.GetEntry("manifest.json") ?? throw new InvalidDataException($"{path}: not a MentorFlow match model (no manifest.json)");
        ModelManifest manifest;
        using (var stream = manifestEntry.Open())
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(stream, Json) ?? throw new InvalidDataException($"{path}: empty manifest");
        }

        if (manifest.FormatVersion != FileFormatVersion)
        {
            throw new InvalidDataException($"{path}: model file format {manifest.FormatVersion}, this version reads {FileFormatVersion}; retrain the model");
        }

        if (manifest.FeatureSchemaVersion != PairFeatures.SchemaVersion || !manifest.FeatureNames.SequenceEqual(PairFeatures.Names))
        {
            throw new InvalidDataException(
                $"{path}: feature schema {manifest.FeatureSchemaVersion} ({string.Join(",", manifest.FeatureNames)}) differs from this version's {PairFeatures.SchemaVersion}; retrain the model");
        }

        var ml = new MLContext(manifest.Seed);
        Predictor? predictor = null;
        var folds = Array.Empty<Predictor>();
        if (manifest.Method == ScoringMethod.LearnedModel && manifest.Evaluation?.Trainer == TrainerKind.Similarity)
        {
            predictor = new SimilarityPredictor();
            folds = [.. Enumerable.Range(0, manifest.Evaluation.Folds).Select(_ => predictor)];
        }
        else if (manifest.Method == ScoringMethod.LearnedModel)
        {
            Predictor? ridge = manifest.Ridge is { } r ? new RidgePredictor(r) : null;
            var ridgeFolds = (manifest.RidgeFolds ?? []).Select(f => (Predictor)new RidgePredictor(f)).ToArray();
            Predictor? trees = null;
            var treeFolds = new List<Predictor>();
            if (zip.GetEntry("mlnet.zip") is not null)
            {
                var probability = manifest.Evaluation?.Trainer == TrainerKind.LinearLogistic;
                trees = new MlNetPredictor(ml, LoadMlNet(ml, zip, "mlnet.zip", path), probability);
                for (var i = 0; zip.GetEntry($"mlnet-fold-{i}.zip") is not null; i++)
                {
                    treeFolds.Add(new MlNetPredictor(ml, LoadMlNet(ml, zip, $"mlnet-fold-{i}.zip", path), probability));
                }
            }

            if (manifest.Blend is { } scaling && ridge is not null && trees is not null)
            {
                predictor = new BlendPredictor(ridge, trees, scaling);
                folds = [.. ridgeFolds.Select((f, i) => (Predictor)new BlendPredictor(f, treeFolds[i], scaling))];
            }
            else
            {
                predictor = ridge ?? trees ?? throw new InvalidDataException($"{path}: learned model without its predictor");
                folds = ridge is not null ? ridgeFolds : [.. treeFolds];
            }
        }

        return new MatchModel(
            manifest.Seed, manifest.Method, predictor, folds, manifest.Calibration, manifest.Evaluation, manifest.ColdStartReason, manifest.Baseline,
            manifest.Goals ?? [], manifest.PrefilterWeights ?? Prefilter.ColdStartWeights(), ml);
    }

    private static void SaveMlNet(ZipArchive zip, string name, ITransformer model, DataViewSchema schema)
    {
        using var stream = zip.CreateEntry(name).Open();
        using var buffer = new MemoryStream();
        new MLContext().Model.Save(model, schema, buffer);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    private static ITransformer LoadMlNet(MLContext ml, ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: learned model without {name}");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        return ml.Model.Load(buffer, out _);
    }

    private sealed record ModelManifest(
        int FormatVersion,
        int FeatureSchemaVersion,
        IReadOnlyList<string> FeatureNames,
        ScoringMethod Method,
        int Seed,
        string? ColdStartReason,
        PlattCalibration Calibration,
        ModelEvaluation? Evaluation,
        float[] Baseline,
        IReadOnlyList<string>? Goals,
        double[]? PrefilterWeights,
        RidgeModel? Ridge,
        IReadOnlyList<RidgeModel>? RidgeFolds,
        BlendScaling? Blend);
}
