using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Tests.Data;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class PairFeaturesTests
{
    private static float[] Features(Application mentor, Application mentee, params Application[] others)
    {
        var space = new ProfileSpace([mentor, mentee, .. others]);
        return PairFeatures.Compute(space.Profile(mentor), space.Profile(mentee));
    }

    /// <summary>Four people in Berlin and four in Tokyo who wrote their languages: half only the local one, half it and English.</summary>
    private static Application[] Residents() =>
    [
        .. Enumerable.Range(0, 4).Select(i => TestData.Application($"b{i}", Role.Mentee, timeZone: "Europe/Berlin", languages: i % 2 == 0 ? ["de"] : ["de", "en"])),
        .. Enumerable.Range(0, 4).Select(i => TestData.Application($"t{i}", Role.Mentee, timeZone: "Asia/Tokyo", languages: i % 2 == 0 ? ["ja"] : ["ja", "en"])),
    ];

    [Fact]
    public void Compute_MeasuresInterestOverlapAndCoverage()
    {
        var mentor = TestData.Application("m", Role.Mentor, interests: ["a", "b", "c"]);
        var mentee = TestData.Application("e", Role.Mentee, interests: ["b", "c", "d", "e"]);

        var f = Features(mentor, mentee);

        Assert.Equal(2f / 5, f[PairFeatures.InterestOverlap], 5);
        Assert.Equal(2f / 4, f[PairFeatures.InterestCoverage], 5);
        Assert.Equal(2f / 4, f[PairFeatures.SharedInterests], 5);
    }

    [Theory]
    [InlineData("data-science", "data-science", new[] { "leadership" }, 1, 1, 0)]
    [InlineData("machine-learning", "data-science", new[] { "leadership" }, 0, 1, 0)]
    [InlineData("product-management", "data-science", new[] { "product-management" }, 0, 0, 1)]
    [InlineData("sales", "data-science", new[] { "leadership" }, 0, 0, 0)]
    public void Compute_CareerPathSameFamilyOrSwitchTarget(string mentorPath, string menteePath, string[] menteeGoals, float same, float family, float switchTarget)
    {
        var mentor = TestData.Application("m", Role.Mentor, careerPath: mentorPath);
        var mentee = TestData.Application("e", Role.Mentee, careerPath: menteePath, goals: menteeGoals);

        var f = Features(mentor, mentee);

        Assert.Equal((same, family, switchTarget), (f[PairFeatures.SameCareerPath], f[PairFeatures.SameCareerFamily], f[PairFeatures.SwitchTarget]));
    }

    [Fact]
    public void Compute_GoalCoverageCountsMentorGoalsAndExpertise()
    {
        var mentor = TestData.Application("m", Role.Mentor, goals: ["leadership"], expertise: ["negotiation"]);
        var mentee = TestData.Application("e", Role.Mentee, goals: ["leadership", "negotiation", "writing", "promotion"]);

        var f = Features(mentor, mentee);

        Assert.Equal(0.5f, f[PairFeatures.GoalCoverage], 5);
        Assert.Equal(2f / 3, f[PairFeatures.GoalsCovered], 5);
        Assert.Equal(1f / 5, f[PairFeatures.ExpertiseMatch], 5); // mentee wants goals ∪ interests = 5 tags, 1 in expertise
    }

    [Fact]
    public void Compute_TimeZoneDistanceInHoursIsCircularAndScaledToTwelve()
    {
        var london = TestData.Application("m", Role.Mentor, timeZone: "Europe/London");
        var newYork = TestData.Application("e", Role.Mentee, timeZone: "America/New_York");
        var auckland = TestData.Application("e2", Role.Mentee, timeZone: "Pacific/Auckland");
        var honolulu = TestData.Application("m2", Role.Mentor, timeZone: "Pacific/Honolulu");

        Assert.Equal(5f / 12, Features(london, newYork)[PairFeatures.TimeZoneDistance], 5);
        Assert.Equal(2f / 12, Features(honolulu, auckland)[PairFeatures.TimeZoneDistance], 5); // −10 and +12: 22 h one way, 2 h the other
    }

    [Theory]
    [InlineData(new[] { "en", "es" }, new[] { "es" }, 1f)]
    [InlineData(new[] { "en" }, new[] { "fr" }, 0f)]
    public void Compute_SharedLanguage(string[] mentorLanguages, string[] menteeLanguages, float expected)
    {
        var f = Features(
            TestData.Application("m", Role.Mentor, languages: mentorLanguages),
            TestData.Application("e", Role.Mentee, languages: menteeLanguages));

        Assert.Equal(expected, f[PairFeatures.SharedLanguage]);
    }

    [Fact]
    public void Compute_CommunicationLengthSeniorityAndHours()
    {
        var mentor = TestData.Application("m", Role.Mentor, communication: ["video", "chat"], length: ProgrammeLength.ThreeToSix, seniority: 12, hours: 8, capacity: 2);
        var mentee = TestData.Application("e", Role.Mentee, communication: ["chat", "email", "phone"], length: ProgrammeLength.NineToTwelve, seniority: 2, hours: 8);

        var f = Features(mentor, mentee);

        Assert.Equal(1f / 4, f[PairFeatures.CommunicationOverlap], 5);
        Assert.Equal(1f, f[PairFeatures.LengthDistance]);
        Assert.Equal(1f, f[PairFeatures.SeniorityGap], 5);
        Assert.Equal(0f, f[PairFeatures.MentorLessSenior]);
        Assert.Equal(0.5f, f[PairFeatures.HoursFit], 5); // 8 h over 2 mentees = 4 h each, the mentee wants 8
    }

    [Theory]
    [InlineData(8.0, 2, 9.0, 1f)] // 4 h per mentee against 9 wanted: under half
    [InlineData(8.0, 2, 8.0, 0f)] // exactly half is not under it
    [InlineData(8.0, 1, 4.0, 0f)]
    [InlineData(null, 1, 9.0, 0f)] // unknown: no step, hours_unknown says it
    public void Compute_MentorTimeUnderHalf_IsTheStepBesideTheShortfallHinge(double? mentorHours, int capacity, double menteeHours, float expected)
    {
        var f = Features(
            TestData.Application("m", Role.Mentor, hours: mentorHours, capacity: capacity),
            TestData.Application("e", Role.Mentee, hours: menteeHours));

        Assert.Equal(expected, f[PairFeatures.MentorTimeUnderHalf]);
        Assert.Equal(expected > 0, f[PairFeatures.HoursShortfall] > 0);
    }

    [Fact]
    public void Compute_MentorLessSeniorThanMentee_IsFlagged()
    {
        var f = Features(TestData.Application("m", Role.Mentor, seniority: 2), TestData.Application("e", Role.Mentee, seniority: 6));

        Assert.Equal(1f, f[PairFeatures.MentorLessSenior]);
        Assert.Equal(-0.4f, f[PairFeatures.SeniorityGap], 5);
    }

    [Fact]
    public void Compute_StatementSimilarity_IsHigherForSimilarTextAndZeroForDisjointText()
    {
        var mentor = TestData.Application("m", Role.Mentor, statement: "I love teaching machine learning and statistics to new analysts.");
        var similar = TestData.Application("e1", Role.Mentee, statement: "Hoping to learn machine learning and statistics from an experienced analyst.");
        var disjoint = TestData.Application("e2", Role.Mentee, statement: "Gardening, cooking, travelling.");

        Assert.True(Features(mentor, similar)[PairFeatures.StatementSimilarity] > 0.3f);
        Assert.Equal(0f, Features(mentor, disjoint)[PairFeatures.StatementSimilarity]);
    }

    [Fact]
    public void Compute_HardIncompatibilities_AreCertainWhenBothSidesWroteThemAndEstimatedOtherwise()
    {
        var english = TestData.Application("m", Role.Mentor, languages: ["en"], communication: ["video"], timeZone: "Europe/London", hours: 4);
        var frenchFarAway = TestData.Application("e", Role.Mentee, languages: ["fr"], communication: ["phone"], timeZone: "Asia/Tokyo", hours: 4);
        var unknown = TestData.Application("e2", Role.Mentee, languages: [], communication: [], timeZone: "Asia/Tokyo");

        var f = Features(english, frenchFarAway);
        Assert.Equal(1f, f[PairFeatures.NoCommonLanguage]);
        Assert.Equal(1f, f[PairFeatures.CannotMeetLive]); // both meet only live (video, phone), 9 h apart
        Assert.Equal(1f, f[PairFeatures.HardIncompatibility]);
        Assert.Equal(1f, f[PairFeatures.NoCommonChannel]);
        Assert.Equal((0f, 0f, 0f), (f[PairFeatures.LanguageUnknown], f[PairFeatures.ChannelsUnknown], f[PairFeatures.HoursUnknown]));

        // Left empty: not a certainty but the chance among people who wrote theirs. Tokyo's one writer speaks French, and
        // five people drawn from everyone (half English, half French) temper that: P(English) = 2.5 / 6. Both writers
        // meet only live (video; phone), so the Tokyo mentee likely does too, 9 h away.
        var g = Features(english, unknown, frenchFarAway);
        Assert.Equal(3.5f / 6, g[PairFeatures.NoCommonLanguage], 5);
        Assert.Equal(1f, g[PairFeatures.CannotMeetLive], 5);
        Assert.Equal(0.5f, g[PairFeatures.NoCommonChannel], 5);
        Assert.Equal((1f, 1f), (g[PairFeatures.LanguageUnknown], g[PairFeatures.ChannelsUnknown]));
    }

    [Fact]
    public void Compute_LanguagesLeftEmpty_AreTheChanceOfACommonLanguageAmongPeopleOfTheSameTimeZone()
    {
        var germanOnly = TestData.Application("e", Role.Mentee, timeZone: "Europe/Berlin", languages: ["de"]);
        var berliner = TestData.Application("m", Role.Mentor, timeZone: "Europe/Berlin", languages: []);
        var tokyoite = TestData.Application("m2", Role.Mentor, timeZone: "Asia/Tokyo", languages: []);

        var sameZone = Features(berliner, germanOnly, [tokyoite, .. Residents()]);
        var otherZone = Features(tokyoite, germanOnly, [berliner, .. Residents()]);

        // Writers: Berlin de ×2, de+en ×2 and the mentee's de, all five speak German; Tokyo ja ×2, ja+en ×2. A zone's own
        // people plus five drawn from everyone (9 writers, 5 of them German speakers).
        var berlin = (5 + (5 * 5 / 9.0)) / (5 + 5);
        var tokyo = (5 * 5 / 9.0) / (4 + 5);
        Assert.Equal((float)berlin, sameZone[PairFeatures.SharedLanguage], 5);
        Assert.Equal((float)(1 - berlin), sameZone[PairFeatures.NoCommonLanguage], 5);
        Assert.Equal((float)tokyo, otherZone[PairFeatures.SharedLanguage], 5);
        Assert.True(sameZone[PairFeatures.SharedLanguage] > 0.75f && otherZone[PairFeatures.SharedLanguage] < 0.35f);
        Assert.Equal((1f, 1f), (sameZone[PairFeatures.LanguageUnknown], otherZone[PairFeatures.LanguageUnknown]));
    }

    [Fact]
    public void Compute_LanguagesLeftEmptyOnBothSides_AreLikelierSharedWithinAZoneThanAcrossZones()
    {
        var berliner = TestData.Application("m", Role.Mentor, timeZone: "Europe/Berlin", languages: []);
        var alsoBerlin = TestData.Application("e", Role.Mentee, timeZone: "Europe/Berlin", languages: []);
        var tokyoite = TestData.Application("e2", Role.Mentee, timeZone: "Asia/Tokyo", languages: []);

        var within = Features(berliner, alsoBerlin, [tokyoite, .. Residents()])[PairFeatures.SharedLanguage];
        var across = Features(berliner, tokyoite, [alsoBerlin, .. Residents()])[PairFeatures.SharedLanguage];

        // Berlin's mix: de and de+en 3.25 / 9 each, ja and ja+en 1.25 / 9 each (its 4 writers plus 5 drawn from all 8);
        // Tokyo's mirrors it. Summed over what the first likely speaks: the chance the second shares one of them.
        double local = 3.25 / 9, far = 1.25 / 9;
        var expectedWithin = (local * (2 * local)) + (local * (1 - far)) + (far * (2 * far)) + (far * (1 - local));
        var expectedAcross = (local * (2 * far)) + (local * (1 - local)) + (far * (2 * local)) + (far * (1 - far));
        Assert.Equal((float)expectedWithin, within, 5);
        Assert.Equal((float)expectedAcross, across, 5);
        Assert.True(within > across + 0.1f, $"within {within}, across {across}");
    }

    [Fact]
    public void Compute_ChannelsLeftEmpty_AreExpectedOverWhatOthersWrote()
    {
        var videoOnly = TestData.Application("m", Role.Mentor, communication: ["video"], timeZone: "Europe/London");
        var unknown = TestData.Application("e", Role.Mentee, communication: [], timeZone: "Asia/Tokyo");
        var others = new[]
        {
            TestData.Application("o1", Role.Mentee, communication: ["video"]),
            TestData.Application("o2", Role.Mentee, communication: ["email"]),
            TestData.Application("o3", Role.Mentee, communication: ["email", "video"]),
        };

        var f = Features(videoOnly, unknown, others);

        // Writers: video ×2 (the mentor, o1), email, email+video: overlap with {video} 1, 1, 0, ½.
        Assert.Equal(2.5f / 4, f[PairFeatures.CommunicationOverlap], 5);
        Assert.Equal(1f / 4, f[PairFeatures.NoCommonChannel], 5);
        Assert.Equal((1 + 1 + 0 + 0.5f) / 4, f[PairFeatures.LiveChannels], 5);
        Assert.Equal(2f / 4, f[PairFeatures.BothLiveOnly], 5);
        Assert.Equal(2f / 4, f[PairFeatures.CannotMeetLive], 5); // 9 h apart: as likely as both meeting only live
        Assert.Equal(1f, f[PairFeatures.ChannelsUnknown]);
    }

    [Fact]
    public void Reasons_NeverStateAnEstimatedLanguageOrChannelAsAFact()
    {
        var germanOnly = TestData.Application("e", Role.Mentee, timeZone: "Europe/Berlin", languages: ["de"], communication: []);
        var berliner = TestData.Application("m", Role.Mentor, timeZone: "Europe/Berlin", languages: [], communication: ["video"]);
        var tokyoite = TestData.Application("m2", Role.Mentor, timeZone: "Asia/Tokyo", languages: [], communication: ["video"]);

        var likely = Features(berliner, germanOnly, [tokyoite, .. Residents()]);
        var unlikely = Features(tokyoite, germanOnly, [berliner, .. Residents()]);

        Assert.Equal("likely a common language (78%; languages not given)", Reasons.Describe(PairFeatures.SharedLanguage, likely));
        Assert.Equal("probably no common language (69%; languages not given)", Reasons.DescribeAgainst(PairFeatures.NoCommonLanguage, unlikely));
        Assert.Null(Reasons.Describe(PairFeatures.SharedLanguage, unlikely));
        Assert.Null(Reasons.Describe(PairFeatures.CommunicationOverlap, likely));
        Assert.Null(Reasons.DescribeAgainst(PairFeatures.NoCommonChannel, likely));
        Assert.Null(Reasons.Describe(PairFeatures.LiveChannels, likely));
    }

    [Theory]
    [InlineData(3, 5, PairFeatures.MentorLessSenior)]
    [InlineData(5, 4, PairFeatures.SeniorityGap0To2)]
    [InlineData(7, 4, PairFeatures.SeniorityGap2To5)]
    [InlineData(9, 4, PairFeatures.SeniorityGap5To10)]
    [InlineData(14, 4, PairFeatures.SeniorityGap10To15)]
    [InlineData(30, 4, PairFeatures.SeniorityGapOver15Years)]
    public void Compute_SeniorityGapBins_SetExactlyOneBin(int mentorYears, int menteeYears, int expectedFeature)
    {
        var f = Features(TestData.Application("m", Role.Mentor, seniority: mentorYears), TestData.Application("e", Role.Mentee, seniority: menteeYears));

        int[] bins =
        [
            PairFeatures.MentorLessSenior, PairFeatures.SeniorityGap0To2, PairFeatures.SeniorityGap2To5, PairFeatures.SeniorityGap5To10,
            PairFeatures.SeniorityGap10To15, PairFeatures.SeniorityGapOver15Years,
        ];
        Assert.Equal([expectedFeature], bins.Where(b => f[b] == 1f));
        Assert.All(bins, b => Assert.True(f[b] is 0f or 1f));
    }

    [Theory]
    [InlineData(12, 5)]
    [InlineData(25, 4)]
    [InlineData(4, 4)]
    [InlineData(3, 9)]
    public void Compute_SeniorityGapSteps_AreOnExactlyFromTheirYear(int mentorYears, int menteeYears)
    {
        var f = Features(TestData.Application("m", Role.Mentor, seniority: mentorYears), TestData.Application("e", Role.Mentee, seniority: menteeYears));

        var gap = mentorYears - menteeYears;
        for (var s = 0; s < PairFeatures.SeniorityGapStepYears.Count; s++)
        {
            var years = PairFeatures.SeniorityGapStepYears[s];
            Assert.Equal($"seniority_gap_at_least_{years}", PairFeatures.Names[PairFeatures.SeniorityGapStepsStart + s]);
            Assert.Equal(gap >= years ? 1f : 0f, f[PairFeatures.SeniorityGapStepsStart + s]);
        }
    }

    [Fact]
    public void Compute_FinerTimeZoneHinges_CountTheHoursBeyondOneTwoAndFour()
    {
        var london = TestData.Application("m", Role.Mentor, timeZone: "Europe/London");
        var newYork = TestData.Application("e", Role.Mentee, timeZone: "America/New_York");
        var paris = TestData.Application("e2", Role.Mentee, timeZone: "Europe/Paris");

        var far = Features(london, newYork); // 5 h
        var near = Features(london, paris); // 1 h

        Assert.Equal(["timezone_over_1h", "timezone_over_2h", "timezone_over_4h"], PairFeatures.Names.Skip(PairFeatures.TimeZoneHingesStart));
        Assert.Equal(4f / 11, far[PairFeatures.TimeZoneHingesStart], 5);
        Assert.Equal(3f / 10, far[PairFeatures.TimeZoneHingesStart + 1], 5);
        Assert.Equal(1f / 8, far[PairFeatures.TimeZoneHingesStart + 2], 5);
        Assert.All(near.Skip(PairFeatures.TimeZoneHingesStart), v => Assert.Equal(0f, v));
        Assert.Equal("time zones 5 h apart", Reasons.DescribeAgainst(PairFeatures.TimeZoneHingesStart, far));
    }

    [Fact]
    public void Reasons_ASeniorityGapStep_IsExplainedAsTheYearsOfExperienceOncePerTopic()
    {
        var f = Features(TestData.Application("m", Role.Mentor, seniority: 12), TestData.Application("e", Role.Mentee, seniority: 5));
        var contributions = new double[PairFeatures.Count];
        contributions[PairFeatures.SeniorityGapStepsStart + 3] = 0.6; // at least 6 years
        contributions[PairFeatures.SeniorityGap] = 0.4; // the same topic: not repeated

        Assert.Equal("7 more years of experience", Reasons.Join(f, contributions));
    }

    [Fact]
    public void Compute_CountIndicators_FollowGoalsAndInterestsCovered()
    {
        var mentor = TestData.Application("m", Role.Mentor, interests: ["a", "b"], goals: ["x", "y"]);
        var two = Features(mentor, TestData.Application("e", Role.Mentee, interests: ["a", "b"], goals: ["x", "y"], seniority: 1));
        var none = Features(mentor, TestData.Application("e2", Role.Mentee, interests: ["a"], goals: ["z"], seniority: 6));

        Assert.Equal((1f, 1f, 1f, 1f), (two[PairFeatures.AnyGoalCovered], two[PairFeatures.TwoGoalsCovered], two[PairFeatures.TwoSharedInterests], two[PairFeatures.MenteeJunior]));
        Assert.Equal((0f, 0f, 0f, 0f), (none[PairFeatures.AnyGoalCovered], none[PairFeatures.TwoGoalsCovered], none[PairFeatures.TwoSharedInterests], none[PairFeatures.MenteeJunior]));
    }

    [Fact]
    public void Compute_MentorShorterLength_CountsOnlyAMentorWhoWantsToStopFirst()
    {
        var shortMentor = TestData.Application("m", Role.Mentor, length: ProgrammeLength.ThreeToSix);
        var longMentor = TestData.Application("m2", Role.Mentor, length: ProgrammeLength.NineToTwelve);
        var longMentee = TestData.Application("e", Role.Mentee, length: ProgrammeLength.NineToTwelve);
        var shortMentee = TestData.Application("e2", Role.Mentee, length: ProgrammeLength.ThreeToSix);

        Assert.Equal(1f, Features(shortMentor, longMentee)[PairFeatures.MentorShorterLength]);
        Assert.Equal(0f, Features(longMentor, shortMentee)[PairFeatures.MentorShorterLength]);
        Assert.Equal(1f, Features(longMentor, shortMentee)[PairFeatures.LengthDistance]);
        Assert.Equal("mentor prefers a shorter programme than the mentee", Reasons.DescribeAgainst(PairFeatures.MentorShorterLength, Features(shortMentor, longMentee)));
    }

    [Fact]
    public void Names_MatchTheFeatureCount()
    {
        Assert.Equal(PairFeatures.Count, PairFeatures.Names.Count);
        Assert.Equal(PairFeatures.Count, PairFeatures.Names.Distinct().Count());
    }

    [Fact]
    public void Reasons_NameTheTopPositiveContributionsOncePerTopic()
    {
        var mentor = TestData.Application("m", Role.Mentor, interests: ["a", "b"], careerPath: "data-science", languages: ["en"]);
        var mentee = TestData.Application("e", Role.Mentee, interests: ["a", "b", "c"], careerPath: "data-science", languages: ["en"]);
        var f = Features(mentor, mentee);
        var contributions = new double[PairFeatures.Count];
        contributions[PairFeatures.InterestOverlap] = 0.9;
        contributions[PairFeatures.SharedInterests] = 0.8; // same topic as the overlap: not repeated
        contributions[PairFeatures.SameCareerPath] = 0.5;
        contributions[PairFeatures.SharedLanguage] = 0.2;
        contributions[PairFeatures.TimeZoneDistance] = -0.3;

        var reasons = Reasons.Join(f, contributions);

        Assert.Equal("shared interests 0.67; same career path; shared language", reasons);
    }
}
