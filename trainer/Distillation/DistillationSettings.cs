using System.Text.Json.Nodes;

namespace SsdEdge.Trainer.Distillation;

/// <summary>
/// The teacher run and the distillation settings of a distilled run, as a fold's part file
/// stores them. Every fold of one run must have equal settings for <c>merge</c> to assemble it.
/// </summary>
/// <param name="TeacherRunId">Run id of the teacher run.</param>
/// <param name="Passes">Stochastic teacher passes N.</param>
/// <param name="StochasticLayers">Selection of the teacher's dropout modules, as given.</param>
/// <param name="DropoutRate">Rate set on the selected modules; null keeps the trained rates.</param>
/// <param name="TeacherChunkRows">Chunk bound of the teacher's stochastic part; null for none.</param>
/// <param name="Temperature">Softmax temperature h of the student-guided weights.</param>
/// <param name="Percentile">Percentile a teacher pass's weight must reach to be kept.</param>
/// <param name="Target">Representation target (<see cref="DistillationTarget"/>).</param>
/// <param name="CrossEntropyWeight">Weight of the cross-entropy.</param>
/// <param name="DistillationWeight">Weight of the representation loss.</param>
/// <param name="DetachWeights">Whether the student-guided weights take no gradient.</param>
/// <param name="LogitDistillationWeight">Weight of logit distillation.</param>
/// <param name="LogitDistillationTemperature">Temperature of logit distillation.</param>
/// <param name="StudentInitialization">Student start, lower case (<c>teacher</c> or <c>fresh</c>).</param>
public sealed record DistillationSettings(
    string TeacherRunId,
    int Passes,
    string StochasticLayers,
    double? DropoutRate,
    int? TeacherChunkRows,
    double Temperature,
    double Percentile,
    string Target,
    double CrossEntropyWeight,
    double DistillationWeight,
    bool DetachWeights,
    double LogitDistillationWeight,
    double LogitDistillationTemperature,
    string StudentInitialization)
{
    /// <summary>Returns the settings of <paramref name="options"/> against teacher run <paramref name="teacherRunId"/>.</summary>
    public static DistillationSettings From(string teacherRunId, DistillationOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teacherRunId);
        ArgumentNullException.ThrowIfNull(options);
        return new DistillationSettings(
            teacherRunId,
            options.Passes,
            options.StochasticLayers.Specification,
            options.DropoutRate,
            options.TeacherChunkRows,
            options.Temperature,
            options.Percentile,
            options.Target.ToString(),
            options.CrossEntropyWeight,
            options.DistillationWeight,
            options.DetachWeights,
            options.LogitDistillationWeight,
            options.LogitDistillationTemperature,
            options.StudentInitialization.ToString().ToLowerInvariant());
    }

    /// <summary>Returns the <c>distillation</c> object of run.json.</summary>
    /// <remarks>It leaves out <see cref="TeacherRunId"/>, which run.json stores as <c>teacherRunId</c>, and <see cref="Target"/>.</remarks>
    public JsonObject ToRunJson() => new()
    {
        ["passes"] = Passes,
        ["stochasticLayers"] = StochasticLayers,
        ["dropoutRate"] = DropoutRate,
        ["teacherChunkRows"] = TeacherChunkRows,
        ["temperature"] = Temperature,
        ["percentile"] = Percentile,
        ["crossEntropyWeight"] = CrossEntropyWeight,
        ["distillationWeight"] = DistillationWeight,
        ["detachWeights"] = DetachWeights,
        ["logitDistillationWeight"] = LogitDistillationWeight,
        ["logitDistillationTemperature"] = LogitDistillationTemperature,
        ["studentInitialization"] = StudentInitialization,
    };
}
