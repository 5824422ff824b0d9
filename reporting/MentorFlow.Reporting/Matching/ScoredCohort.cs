using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Matching;

/// <summary>Options of <see cref="MatchModel.Score"/>.</summary>
public sealed record ScoringOptions
{
    /// <summary>
    /// Candidate pruning: each mentee keeps the mentors with the best pre-filter score (the model's linear summary over
    /// cheap features, <see cref="MatchModel.PrefilterWeights"/>, plus each mentor's offset), each mentor its own best
    /// mentees (<see cref="MenteesPerMentorPlace"/>), and only those pairs are scored by the model and offered to the
    /// assignment. A number keeps exactly that many mentors per mentee (beside the mentors' own lists). Null (the default) sizes it to the model: from
    /// <see cref="MinimumCandidates"/> up, wide enough that the model's own <see cref="RecallTop"/> best mentors of
    /// <see cref="RecallSample"/> sampled mentees (scored against every mentor) survive the pre-filter in
    /// <see cref="RecallTarget"/> of cases, at most <see cref="MaximumCandidates"/> — a model whose best pairs depend
    /// on facts the pre-filter does not weigh (goal-dependent seniority, live meetings across time zones) keeps more.
    /// It widens past the minimum only while the pairs in all stay within <see cref="MaximumPairs"/>: a cohort of
    /// 10,000 mentees or more keeps the minimum.
    /// </summary>
    public int? CandidatesPerMentee { get; init; }

    /// <summary>Fewest candidates per mentee when sized to the model.</summary>
    public const int MinimumCandidates = 40;

    /// <summary>Most candidates per mentee when sized to the model (bounds the scoring time and memory).</summary>
    public const int MaximumCandidates = 160;

    /// <summary>Pairs in all up to which a list sized to the model may widen past the minimum (bounds the time and memory of a large cohort).</summary>
    public const int MaximumPairs = 400_000;

    /// <summary>Mentees (evenly spaced) whose every pair is scored to size the candidate list.</summary>
    public const int RecallSample = 64;

    /// <summary>The model's best mentors per sampled mentee that the candidate list should keep.</summary>
    public const int RecallTop = 20;

    /// <summary>Share of the sampled mentees' best mentors the candidate list keeps.</summary>
    public const double RecallTarget = 0.95;

    /// <summary>
    /// Each mentor also keeps its own best mentees by the pre-filter score, this many per place it offers (beside the
    /// mentees' lists): when every mentee ranks the same popular mentors first, the others still get candidates and
    /// their places can be filled.
    /// </summary>
    public const int MenteesPerMentorPlace = 4;

    /// <summary>Fewest mentees a mentor keeps as its own candidates.</summary>
    public const int MinimumMenteesPerMentor = 8;

    /// <summary>Threads for pre-filtering and scoring; by default all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Reports (done, total) mentees pre-filtered, then pairs scored.</summary>
    public IProgress<(string Stage, int Done, int Total)>? Progress { get; init; }
}

/// <summary>A candidate mentor of a mentee, with the predicted score of the pair.</summary>
public readonly record struct Candidate(int Mentor, double Score);

/// <summary>
/// The scored pairs of a cohort: mentors and mentees (by index), each mentee's candidate mentors with their scores,
/// and the model that scored them (to score a pinned pair outside the candidates, and to explain a pair).
/// </summary>
public sealed class ScoredCohort
{
    private readonly Candidate[][] _candidates;
    private readonly Func<int, int, float[]>? _features;
    private readonly Dictionary<string, int> _mentorIndex;
    private readonly Dictionary<string, int> _menteeIndex;

    private ScoredCohort(
        MatchModel? model, IReadOnlyList<Application> mentors, IReadOnlyList<Application> mentees, Candidate[][] candidates,
        Func<int, int, float[]>? features)
    {
        Model = model;
        Mentors = mentors;
        Mentees = mentees;
        _candidates = candidates;
        _features = features;
        _mentorIndex = Index(mentors);
        _menteeIndex = Index(mentees);
    }

    public MatchModel? Model { get; }

    public IReadOnlyList<Application> Mentors { get; }

    public IReadOnlyList<Application> Mentees { get; }

    public ScoringMethod Method => Model?.Method ?? ScoringMethod.LearnedModel;

    public int PairCount => _candidates.Sum(c => c.Length);

    /// <summary>Candidates kept per mentee (the requested number, or the one sized to the model).</summary>
    public int CandidatesPerMentee { get; private init; }

    /// <summary>The candidates of a mentee, best first.</summary>
    public IReadOnlyList<Candidate> CandidatesOf(int mentee) => _candidates[mentee];

    public int? MentorIndex(string id) => _mentorIndex.TryGetValue(id, out var i) ? i : null;

    public int? MenteeIndex(string id) => _menteeIndex.TryGetValue(id, out var i) ? i : null;

    /// <summary>The score of any pair: the candidate's score, or computed now (e.g. a pinned pair that was pruned).</summary>
    public double Score(int mentor, int mentee)
    {
        foreach (var candidate in _candidates[mentee])
        {
            if (candidate.Mentor == mentor)
            {
                return candidate.Score;
            }
        }

        return Model is not null && _features is not null ? Model.Predict([_features(mentor, mentee)])[0] : 0;
    }

    /// <summary>Readable reasons for pairs (mentor index, mentee index); empty strings when there is no model.</summary>
    public string[] Explain(IReadOnlyList<(int Mentor, int Mentee)> pairs)
    {
        if (Model is null || _features is null || pairs.Count == 0)
        {
            return [.. pairs.Select(_ => string.Empty)];
        }

        return Model.Explain([.. pairs.Select(p => _features(p.Mentor, p.Mentee))]);
    }

    /// <summary>The calibrated probability of a pair with its 90% interval (null when the scores were given, not computed).</summary>
    public ScoreInterval? Interval(int mentor, int mentee) =>
        Model is not null && _features is not null ? Model.PredictWithIntervals([_features(mentor, mentee)])[0] : null;

    /// <summary>The model inputs of a pair (<see cref="ModelInputs"/>; null when the scores were given, not computed).</summary>
    public float[]? Features(int mentor, int mentee) => _features?.Invoke(mentor, mentee);

    /// <summary>Scores given directly for every pair (tests, baselines and the oracle of the quality table).</summary>
    public static ScoredCohort FromScores(IReadOnlyList<Application> mentors, IReadOnlyList<Application> mentees, Func<int, int, double> score)
    {
        var candidates = new Candidate[mentees.Count][];
        for (var e = 0; e < mentees.Count; e++)
        {
            candidates[e] = [.. Enumerable.Range(0, mentors.Count).Select(m => new Candidate(m, score(m, e))).OrderByDescending(c => c.Score)];
        }

        return new ScoredCohort(null, mentors, mentees, candidates, null);
    }

    /// <summary>Most pairs whose features are computed and scored together (bounds the memory held while scoring).</summary>
    internal const int ScoringChunk = 16_384;

    internal static ScoredCohort Build(MatchModel model, IReadOnlyList<Application> cohort, ScoringOptions options)
    {
        var mentors = cohort.Where(a => a.IsMentor).ToList();
        var mentees = cohort.Where(a => !a.IsMentor).ToList();
        var space = new ProfileSpace(cohort);
        var mentorProfiles = mentors.Select(space.Profile).ToArray();
        var menteeProfiles = mentees.Select(space.Profile).ToArray();
        if (mentors.Count == 0)
        {
            return new ScoredCohort(model, mentors, mentees, [.. mentees.Select(_ => Array.Empty<Candidate>())], null);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism) };
        var prefilter = new Prefilter(mentorProfiles, model.PrefilterWeights);
        var sample = model.Method == ScoringMethod.ColdStartSimilarity ? null : Sample(model, prefilter, mentorProfiles, menteeProfiles, parallel);
        if (sample is not null)
        {
            prefilter = new Prefilter(mentorProfiles, model.PrefilterWeights, sample.MentorOffsets);
        }

        var k = options.CandidatesPerMentee is { } requested
            ? Math.Min(Math.Max(1, requested), mentors.Count)
            : SizeToModel(sample, mentors.Count, mentees.Count);

        // 1. Pre-filter every pair cheaply: each mentee keeps its k best mentors, and each mentor its best mentees (so
        //    that a mentor whom every mentee ranks below the popular ones can still fill its places).
        var chosen = new int[mentees.Count][];
        var mentorBest = mentors.Select(m => new TopKeeper(MentorCandidates(m, mentees.Count))).ToArray();
        var threadBests = new System.Collections.Concurrent.ConcurrentBag<TopKeeper[]>();
        var done = 0;
        Parallel.For(
            0,
            mentees.Count,
            parallel,
            () => mentors.Select(m => new TopKeeper(MentorCandidates(m, mentees.Count))).ToArray(),
            (e, _, local) =>
            {
                chosen[e] = prefilter.Top(menteeProfiles[e], k, e, local);
                var count = Interlocked.Increment(ref done);
                if (count % 500 == 0 || count == mentees.Count)
                {
                    options.Progress?.Report(("pre-filter", count, mentees.Count));
                }

                return local;
            },
            threadBests.Add);
        foreach (var local in threadBests)
        {
            for (var m = 0; m < mentors.Count; m++)
            {
                mentorBest[m].Merge(local[m]);
            }
        }

        var added = new List<int>?[mentees.Count];
        for (var m = 0; m < mentors.Count; m++)
        {
            foreach (var e in mentorBest[m].Items())
            {
                if (Array.IndexOf(chosen[e], m) < 0)
                {
                    (added[e] ??= []).Add(m);
                }
            }
        }

        var start = new int[mentees.Count + 1];
        for (var e = 0; e < mentees.Count; e++)
        {
            if (added[e] is { } more)
            {
                chosen[e] = [.. chosen[e], .. more];
            }

            start[e + 1] = start[e] + chosen[e].Length;
        }

        // 2. Full features of the kept pairs, computed and scored chunk by chunk in parallel, each thread writing into
        //    its own reused rows: only the chunks in flight hold features (ModelInputs.Count floats per pair), not every
        //    kept pair of the cohort at once, and no pair allocates its own row.
        var total = start[mentees.Count];
        options.Progress?.Report(("score", 0, total));
        var scores = new double[total];
        var chunk = Math.Max(1, (total + parallel.MaxDegreeOfParallelism - 1) / parallel.MaxDegreeOfParallelism);
        chunk = Math.Min(chunk, ScoringChunk);
        var chunks = (total + chunk - 1) / chunk;
        var scoredChunks = 0;
        Parallel.For(
            0,
            chunks,
            parallel,
            () => Array.Empty<float[]>(),
            (c, _, rows) =>
            {
                var first = c * chunk;
                var length = Math.Min(chunk, total - first);
                if (rows.Length < length)
                {
                    rows = [.. Enumerable.Range(0, length).Select(_ => new float[ModelInputs.Count])];
                }

                var e = Array.BinarySearch(start, first) is var found && found >= 0 ? found : ~found - 1;
                while (start[e + 1] <= first)
                {
                    e++;
                }

                var goals = ModelInputs.GoalIndicatorsOf(menteeProfiles[e], model.Goals);
                for (var p = 0; p < length; p++)
                {
                    while (first + p >= start[e + 1])
                    {
                        e++;
                        goals = ModelInputs.GoalIndicatorsOf(menteeProfiles[e], model.Goals);
                    }

                    ModelInputs.Write(mentorProfiles[chosen[e][first + p - start[e]]], menteeProfiles[e], goals, rows[p]);
                }

                model.Predict(new ArraySegment<float[]>(rows, 0, length)).CopyTo(scores, first);
                var count = Interlocked.Increment(ref scoredChunks);
                options.Progress?.Report(("score", Math.Min(count * chunk, total), total));
                return rows;
            },
            _ => { });

        var candidates = new Candidate[mentees.Count][];
        for (var e = 0; e < mentees.Count; e++)
        {
            var list = new Candidate[chosen[e].Length];
            for (var j = 0; j < list.Length; j++)
            {
                list[j] = new Candidate(chosen[e][j], scores[start[e] + j]);
            }

            Array.Sort(list, (a, b) => b.Score.CompareTo(a.Score) is var s && s != 0 ? s : a.Mentor.CompareTo(b.Mentor));
            candidates[e] = list;
        }

        return new ScoredCohort(model, mentors, mentees, candidates, (m, e) => model.Input(mentorProfiles[m], menteeProfiles[e]))
        {
            CandidatesPerMentee = k,
        };
    }

    /// <summary>
    /// The model's raw scores of <see cref="ScoringOptions.RecallSample"/> evenly spaced mentees against every mentor,
    /// beside the pre-filter's; from them each mentor's offset (the mean of model − pre-filter over the sample: what the
    /// model sees in the mentor that the cheap features miss) and, per sampled mentee, the model's own best mentors.
    /// </summary>
    internal static PrefilterSample? Sample(MatchModel model, Prefilter prefilter, PersonProfile[] mentors, PersonProfile[] mentees, ParallelOptions parallel)
    {
        if (mentees.Length == 0 || mentors.Length == 0)
        {
            return null;
        }

        var size = Math.Min(ScoringOptions.RecallSample, mentees.Length);
        var modelScores = new double[size][];
        var filter = new double[size][];
        Parallel.For(0, size, parallel, s =>
        {
            var mentee = mentees[(int)((long)s * mentees.Length / size)];
            filter[s] = new double[mentors.Length];
            prefilter.ScoreAll(mentee, filter[s]);
            var goals = ModelInputs.GoalIndicatorsOf(mentee, model.Goals);
            var inputs = new float[mentors.Length][];
            for (var m = 0; m < mentors.Length; m++)
            {
                inputs[m] = ModelInputs.Of(mentors[m], mentee, goals);
            }

            modelScores[s] = model.Raw(inputs);
        });

        var offsets = new double[mentors.Length];
        for (var m = 0; m < mentors.Length; m++)
        {
            var sum = 0.0;
            for (var s = 0; s < size; s++)
            {
                sum += modelScores[s][m] - filter[s][m];
            }

            offsets[m] = sum / size;
        }

        return new PrefilterSample(modelScores, filter, offsets);
    }

    /// <summary>
    /// The candidate count that keeps the model's own best mentors (see <see cref="ScoringOptions.CandidatesPerMentee"/>):
    /// for each sampled mentee, where the model's <see cref="ScoringOptions.RecallTop"/> best mentors rank in the
    /// pre-filter's order (with the mentor offsets); the count is the rank that covers
    /// <see cref="ScoringOptions.RecallTarget"/> of them. No sample (cold start) → the minimum.
    /// </summary>
    internal static int SizeToModel(PrefilterSample? sample, int mentors, int mentees)
    {
        var floor = Math.Min(ScoringOptions.MinimumCandidates, mentors);
        var ceiling = Math.Min(Math.Min(ScoringOptions.MaximumCandidates, mentors), Math.Max(floor, ScoringOptions.MaximumPairs / Math.Max(1, mentees)));
        if (sample is null || ceiling <= floor)
        {
            // The cold-start pre-filter is the similarity itself (without the statement): its order is the model's.
            return floor;
        }

        var top = Math.Min(ScoringOptions.RecallTop, mentors);
        var all = sample.Model.SelectMany((scores, s) =>
        {
            var filtered = sample.Filter[s].Select((v, m) => v + sample.MentorOffsets[m]).ToArray();
            return Enumerable.Range(0, mentors).OrderByDescending(m => scores[m]).ThenBy(m => m).Take(top).Select(m => RankOf(filtered, m));
        }).Order().ToArray();
        var needed = all[Math.Min(all.Length - 1, (int)Math.Ceiling(ScoringOptions.RecallTarget * all.Length) - 1)] + 1;
        return Math.Clamp(needed, floor, ceiling);
    }

    /// <summary>
    /// Mentees each mentor keeps as candidates beside the mentees' own lists: <see cref="ScoringOptions.MenteesPerMentorPlace"/>
    /// per place, at least <see cref="ScoringOptions.MinimumMenteesPerMentor"/>, at most every mentee.
    /// </summary>
    private static int MentorCandidates(Application mentor, int mentees) =>
        Math.Min(mentees, Math.Max(ScoringOptions.MinimumMenteesPerMentor, ScoringOptions.MenteesPerMentorPlace * Math.Max(1, mentor.Capacity)));

    /// <summary>Place of mentor <paramref name="m"/> in the pre-filter's order (0 = best; among equal scores lower indices first).</summary>
    private static int RankOf(double[] scores, int m)
    {
        var rank = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] > scores[m] || (scores[i] == scores[m] && i < m))
            {
                rank++;
            }
        }

        return rank;
    }

    private static Dictionary<string, int> Index(IReadOnlyList<Application> people)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < people.Count; i++)
        {
            index.TryAdd(people[i].Id, i);
        }

        return index;
    }
}

/// <summary>
/// Sampled mentees' scores against every mentor: the model's raw scores and the pre-filter's (without offsets), per
/// sampled mentee; and each mentor's offset.
/// </summary>
internal sealed record PrefilterSample(double[][] Model, double[][] Filter, double[] MentorOffsets);
