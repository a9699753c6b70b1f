"""Writes the labelled answers (NAME.expected.json); the targets, counts and times are a reading of each document by
hand. Run from the repository root: python tests/data/markdown/real/make_labels.py"""
import json
import pathlib
import re

from postmortem.mdimport import blocks, headings

R = pathlib.Path("tests/data/markdown/real")
RULES = [(r"^(issue )?summary$", "summary"), (r"^timeline", "timeline"), (r"^root cause$", "root_cause"),
         (r"^resolution and recovery$", "summary"), (r"^contributing factors", "factors"), (r"^lessons learned$", "lessons"),
         (r"^action items$", "action_items"), (r"^corrective and preventative measures?$", "action_items"),
         (r"^lessons learned and future improvements$", "action_items"), (r"^a?t+endees$", "contacts"),
         (r"^stats$", ["appendix", "header"]), (r"^what happened\??$", "summary")]
OVERRIDES = {
 "dfds_pm2021_011.md": {"Reflections on external collaboration": "lessons", "General": "lessons"},
 "chia_2021_05_09_negative_coin_values.md": {"Netspace after the incident": ["appendix", "links"]},
 "chia_2021_05_10_wikiattack.md": {"Relevant Commit history": "appendix", "Malicious file findings - Preliminary": ["appendix", "root_cause"]},
 "chia_2021_10_31_duststorm.md": {"Testnet Dust Storm": "appendix", "Q&A": "appendix"},
 "chia_2022_06_28_proxyabusereport.md": {"Involved Parties": "contacts"},
 "chia_2022_01_27_ramp_card.md": {"Involved Parties": "contacts"},
}
TIMELINE = {"dfds_pm2019_009.md": 14, "dfds_pm2019_010.md": 6, "dfds_pm2019_011.md": 11, "dfds_pm2020_001.md": 2,
 "dfds_pm2020_003.md": 5, "dfds_pm2020_007.md": 5, "dfds_pm2021_003.md": 7, "dfds_pm2021_004.md": 8, "dfds_pm2021_009.md": 13,
 "dfds_pm2021_011.md": 26, "dfds_pm2022_001.md": 18, "dfds_pm2022_005.md": 12, "dfds_pm2023_001.md": 16, "dfds_pm2024_001.md": 27,
 "dfds_pm2025_001.md": 19, "dfds_pm2025_002.md": 12,
 "chia_2021_05_09_negative_coin_values.md": 11, "chia_2021_05_10_wikiattack.md": 4, "chia_2021_05_26_website_outage.md": 11,
 "chia_2021_10_31_duststorm.md": 19, "chia_2021_10_31_employeecompromise.md": 23, "chia_2022_01_27_ramp_card.md": 18,
 "chia_2022_06_28_proxyabusereport.md": 16, "chia_2023_05_08_agg_sig_unsafe_can_mimic_agg_sig_me_c.md": 3,
 "chia_2023_07_05_email_gift_card_phish.md": 17, "chia_2023_08_04_compromised_self_hosted_runners.md": 8,
 "chia_2024_02_15_financial_instutition_credentials.md": 14, "chia_2024_06_25_blockchain_mainnet_stall.md": 5,
 "chia_2025_02_25_block_production_impact_due_fastforwa.md": 8}
TIMES = {"chia_2021_05_09_negative_coin_values.md": {"start": "2021-05-09T13:48:00+00:00"},
 "chia_2021_05_10_wikiattack.md": {"start": "2021-05-10T09:15:04+00:00"},
 "chia_2021_10_31_employeecompromise.md": {"detected": "2021-11-01T04:33:00+00:00"},
 "chia_2021_10_31_duststorm.md": {"end": "2021-11-01T09:45:00+00:00"},
 # the first mitigation attempts the timelines state: "began corrective actions … locking the wiki" (10:00 UTC),
 # "Operations engineers revert site repo changes" (04:53 PM UTC)
 # and the customers' window: "Site is hard down" (04:52 PM UTC) to "Site is fully recovered" (06:00 PM UTC)
 "chia_2021_05_26_website_outage.md": {"impact_start": "2021-05-26T16:52:00+00:00",
                                       "first_mitigation": "2021-05-26T16:53:00+00:00", "end": "2021-05-26T18:00:00+00:00"}}
TIMES["chia_2021_05_10_wikiattack.md"]["first_mitigation"] = "2021-05-10T10:00:00+00:00"
# "Roll back to Traefik v1 as main ingress controller initiated" (08:50); the healthcheck change before it was
# the "misleading ALB issue investigation" its contributing factors name, not an attempt at the 404s
# the impact: "All Kubernetes services returning 404" (08:00) to "All ingress traffic working as intended" (09:08)
TIMES["dfds_pm2021_009.md"] = {"impact_start": "2021-09-06T08:00:00+00:00", "first_mitigation": "2021-09-06T08:50:00+00:00",
                               "end": "2021-09-06T09:08:00+00:00"}
ACTIONS = {  # documents whose action items are not a plain bullet list under "Action Items"
 "chia_2021_05_09_negative_coin_values.md": ["Add more thorough testing", "Minimize the number of different types", "Bug bounty in order to",
   "More automated alarms", "Have an incident response plan", "Add an independent status page", "Add a notification in the GUI"],
 "chia_2021_05_10_wikiattack.md": ["The installation wiki page will be changed"],
 "chia_2021_05_26_website_outage.md": ["Going forward the Chia team is going to rebuild"],
 "chia_2021_10_31_employeecompromise.md": ["Develop better techniques in questioning", "Hire a professional SecOps person", "Add a feature to the Chia Graphical User Interface"],
 "chia_2022_01_27_ramp_card.md": ["Emphasize the importance of strictly adhering"],
 "chia_2022_06_28_proxyabusereport.md": ["A new shutdown and decommissioning process", "Additionally, these Data Layer test instances"],
}
# The Rust blog's post-mortems: headings and answers written out by hand, before the importer was run on them.
RUST = {
 "rust_crates_io_incident_report.md": dict(
   sections={"Root cause of the outage": "root_cause", "Resolution": "summary", "Affected crates": "impact",
             "Postmortem": ["went_wrong", "lessons"], "Timeline of events": "timeline", "2020-02-20": "timeline",
             "2020-02-21": "timeline", "Action items": "action_items"},
   timeline_events=17, times={"detected": "2020-02-20T21:28:00+00:00"},
   actions=["Add simple logging when we start", "Add a periodic job that checks the index", "Include the crate name in the HTTP",
            "Add in-depth logging for swirl", "Investigate whether we want to implement"]),
 "rust_crates_io_malware_postmortem.md": dict(
   sections={"Summary": "summary", "Contents": ["appendix", "root_cause"], "Actions taken": "summary",
             "Analysis": "root_cause", "Future actions": "action_items", "Thanks": "appendix"},
   timeline_events=0, times={}, actions=["The Rust Foundation"]),
 "rust_crates_io_postmortem.md": dict(
   sections={"Summary": "summary", "Leadup": ["root_cause", "summary"], "Fault": "root_cause", "Impact": "impact",
             "Detection": "summary", "Response": "summary", "Recovery": "summary", "Timeline": "timeline",
             "2023-07-19": "timeline", "2023-07-20": "timeline", "Root cause identification: The Five Whys": "root_cause",
             "Root causes": "root_cause", "Backlog check": ["appendix", "lessons"], "Recurrence": ["appendix", "lessons"],
             "Lessons learned": "lessons", "Corrective actions": "action_items"},
   # "between 12:17 and 12:30 UTC all crate downloads from crates.io were broken": the customers' window
   # and "12:30 UTC – The deployment was rolled back, temporarily fixing the issue for our users": mitigated
   timeline_events=16, times={"impact_start": "2023-07-20T12:17:00+00:00", "mitigated": "2023-07-20T12:30:00+00:00",
                              "end": "2023-07-20T12:30:00+00:00"},
   actions=["Include crate downloads in the smoke test plan", "Automate the staging environment smoke tests",
            "Develop rules on which pull requests"]),
 "rust_dns_outage_portmortem.md": dict(
   sections={"Root Cause of the Outage": "root_cause", "Resolution": "summary", "Postmortem": ["went_wrong", "lessons"]},
   timeline_events=0, times={"start": "2023-01-25T09:15:00+00:00", "end": "2023-01-25T09:40:00+00:00"}, actions=[]),
 "rust_docsrs_outage_postmortem.md": dict(
   sections={"Root cause of the outage": "root_cause", "Resolution": "summary", "Postmortem": ["went_wrong", "lessons"],
             "Timeline of events": "timeline", "Action items": "action_items"},
   timeline_events=13, times={"start": "2019-10-21T01:38:00+00:00"},
   actions=["Update the docs.rs source code", "Add alerts when the available disk space", "Add alerts when most of the builds",
            "Revisit the on-call rotation"]),
 "rust_rustup_1_24_0_incident_report.md": dict(
   sections={"Root cause of the issue": "root_cause", "Resolution": "summary", "Lessons learned": "lessons",
             "Long term changes to Rustup releases": "action_items", "Action items": "action_items"},
   timeline_events=0, times={"start": "2021-04-27T15:09:00+00:00", "detected": "2021-04-27T15:23:00+00:00",
                             "mitigated": "2021-04-27T15:56:00+00:00", "end": "2021-04-27T15:56:00+00:00"},
   actions=["In order to try and reduce the chance", "Finally we are hoping to work with the", "Testing for proxying",
            "Release process should include explicit beta"]),
}
# 2i2c: times written as headings under "Timeline"; labelled before the importer was run on it.
RUST["twoi2c_2020_10_28_memory_overload.md"] = dict(
    sections={"Summary": "summary", "Timeline": "timeline", "08:52 PM": "timeline", "09:02 PM": "timeline",
              "09:21 PM": "timeline", "09:23 PM": "timeline", "09:24 PM": "timeline", "09:46 PM": "timeline",
              "Action Items": "action_items"},
    timeline_events=6, times={},
    actions=["Make sure user pods are in a separate pool", "Set limits on the support infrastructure",
             "Document and think about overcommit ratios", "Setup better Grafana dashboards",
             "Document how folks can get"])


# Held out: read and labelled by hand before the importer was ever run on them (mybinder.org's incident
# reports and Homebrew's security disclosures). Sub-headings under "Action items" are groups of actions;
# time headings under "Timeline" are its events. Times are UTC, converted from the zone the report names.
_T, _A = "timeline", "action_items"
_LESSONS = {"Lessons learnt": "lessons", "What went well": "went_well", "What went wrong": "went_wrong",
            "Where we got lucky": "lucky"}
HELD_OUT = {
 "mybinder_2017_09_29_504.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "Sep 29 2017 08:59": _T, "14:00": _T, "14:10": _T,
             "Action Items": _A, "BinderHub": _A, "KubeSpawner": _A, "Deployment": _A},
   # Added later, with the customer-window shapes (so not held-out evidence for them): "### 14:10" (CEST)
   # "Service is back to normal, though no actual fixes have been applied."
   timeline_events=3, times={"end": "2017-09-29T12:10:00+00:00"},
   actions=["Removing the redirect page will get rid", "Diagnose the original issue", "Fix known issue of PodReflector",
            "Investigate further possibilities of reflector", "Unrecoverable PodReflector errors should abort",
            "Implement health monitoring and alerting", "Automatic recovery could potentially relaunch"]),
 "mybinder_2017_10_17_cluster_full.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "2017-10-17 07:42": _T, "08:47": _T, "09:14": _T, "09:19": _T,
             "09:49": _T, "10:18": _T, "11:02": _T, "11:14": _T, "11:29": _T,
             "Action items": _A, "KubeSpawner": _A, "BinderHub": _A, "Process": _A},
   timeline_events=9, times={},
   actions=["If a pod doesn't start in time", "Make the launch timeout more configurable",
            "If launch fails, then BinderHub should", "We need better alerting for when cluster"]),
 "mybinder_2018_01_04_failed_staging_deploy.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "2018-01-04 07:33": _T, "08:03": _T, "08:17": _T, "08:25": _T,
             "08:27": _T, "08:34": _T, "08:59": _T, "11:31": _T,
             "Action items": _A, "Process": _A, "mybinder.org-deploy": _A, "helm-chart": _A},
   timeline_events=8, times={},
   actions=["Minimize tribal knowledge in the deployment", "Simplify steps into a checklist", "Minimize copy-paste errors by user",
            "Add a deployment to staging checklist", "Add a better way to self diagnose", "Look into generating a commit for bumping",
            "Document in the helm chart repo"]),
 "mybinder_2018_01_17_ubuntu_upgrade.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "2018-01-15": _T, "2018-01-16": _T, "2018-01-17 17:14pm": _T,
             "2018-01-17 17:30pm": _T, "18:57": _T, "19:00": _T,
             "Action items": _A, "Process": _A, "repo2docker": _A, "Misc": _A, "mybinder.org-deploy": _A},
   timeline_events=6, times={},
   actions=["Note that Ubuntu non-LTS is on", "Subscribe to the ubuntu-announce", "Separate python version from distro",
            "Allow users to pin distros", "Keep our own apt mirror", "Continuous tests should be run"]),
 "mybinder_2018_01_18_ssl_outdated.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "2018-01-11": _T, "2018-01-18": _T, "2018-01-19 11:00": _T,
             "Action items": _A, "Process": _A, "Related Issues / PRs": ["links", "appendix"]},
   timeline_events=4, times={},
   actions=["Do not use a single team member's email", ("Instead, use a shared google groups email", "done"),
            "keep an eye on the SSL once the first"]),
 "mybinder_2018_02_12_launch_fail.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "2018-02-12 14:03": _T, "2018-02-12 14:06": _T, "14:08": _T,
             "14:09": _T, **_LESSONS, "Action items": _A, "Process improvements": _A,
             "Documentation improvements": _A, "Technical improvements": _A},
   timeline_events=4, times={},
   actions=["Improve the team operations around debugging", "Improve the language around site reliability",
            "We should set up some kind of monitoring"]),
 "mybinder_2018_02_22_nginx_down.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "2018-02-22 16:30": _T, "16:32": _T, "16:33": _T, "16:35": _T,
             **_LESSONS, "Action items": _A, "Process improvements": _A, "Technical improvements": _A},
   timeline_events=4, times={},
   actions=[("Make sure that everybody gets emailed", "done"), "Find a path forward to switch away from NGINX"]),
 "mybinder_2018_03_26_no_space_left.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "2018-03-26 10:34": _T, "2018-03-26 10:55": _T,
             "2018-03-26 15:00": _T, "Lessons learned": "lessons", "What went well": "went_well",
             "What went wrong": "went_wrong", "Action items": _A},
   timeline_events=3, times={},
   actions=[("Add log metric for no space left on device", "done"), ("Add log metric for Error creating user", "done"),
            ("Add metrics-based alert for", "done"), "Enable SMTP for alerts from grafana",
            "Investigate root cause of no space left", "Systematically cordon and cull nodes"]),
 "mybinder_2019_04_03_ingress_cordoned.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "2019-04-03 12:50": _T, "13:28": _T, "13:29": _T, **_LESSONS,
             "Action items": _A, "Technical improvements": _A},
   timeline_events=3,
   # "All times in GMT+2"; the entries say "Start of incident", "Investigation starts after a user reported", "Incident ends"
   times={"start": "2019-04-03T10:50:00+00:00", "detected": "2019-04-03T11:28:00+00:00", "end": "2019-04-03T11:29:00+00:00"},
   actions=["Update SRE guide to include guidance", "Setup our ingress deployment to be robust"]),
 "mybinder_2022_06_02_pod_limit.md": dict(
   sections={"Summary": "summary", "Timeline": _T, "2022-06-02 10:00 - Problem starts": _T, "21:00 - Team alerted": _T,
             "21:06 - Logger error": _T, "21:22 - Found a StackOverflow answer": _T,
             "21:24 - Delete gke-resource-quotas and issue goes away": _T, **_LESSONS,
             "Action items": _A, "Process improvements": _A},
   timeline_events=5,
   # "All times in CET" (as written, though June): headings "Problem starts", "Team alerted", the fix at 21:24
   times={"start": "2022-06-02T09:00:00+00:00", "detected": "2022-06-02T20:00:00+00:00", "end": "2022-06-02T20:24:00+00:00"},
   actions=["Uptime and alerting issue"]),
 "homebrew_2018_08_05_security_incident_disclosure.md": dict(
   sections={"What was impacted": "impact", "What we're doing about it": _A},
   timeline_events=0, times={},
   actions=[("We have for several years enabled 2FA", "done"), ("We enabled branch protection", "done"),
            ("We requested all Homebrew maintainers review", "done"),
            ("The security researcher also recommended we consider", "cancelled")]),
 "homebrew_2021_04_21_security_incident_disclosure.md": dict(
   sections={"What was impacted": "impact", "What we're doing about it": _A},
   timeline_events=0, times={},
   actions=[("The vulnerable review-cask-pr GitHub Action has been", "done"), ("The automerge GitHub Action has been", "done"),
            ("We have removed the ability for our bots", "done"), "All homebrew/cask* pull requests will require",
            ("We are improving documentation to help onboard", "in progress")]),
}

# Held out, second batch: conda-forge's security write-ups, read and labelled by hand after the fixes the
# first batch led to and before the importer was run on them. "Our Response" lists what was done during
# the response (the resolution), not follow-up items; "What can you do?" is advice to users.
# The heading asks "What can you do?": the public report's "what customers should do" fits as well.
_CLOSING = ["impact", "appendix", "what_to_do"]
HELD_OUT.update({
 "condaforge_2025_04_02_security_incident_with_package_uploads.md": dict(
   sections={"Response timeline": _T}, timeline_events=10,
   times={"detected": "2025-04-01T13:35:00+00:00", "mitigated": "2025-04-01T14:15:00+00:00",
          "end": "2025-04-01T23:02:00+00:00"},
   actions=[]),
 "condaforge_2023_03_12_circle_ci_security_breach.md": dict(
   sections={"Our Response": "summary", "What did we learn?": "lessons", "Closing Thoughts & What can you do?": _CLOSING},
   timeline_events=0, times={}, actions=[]),
 "condaforge_2021_09_24_travis_security.md": dict(
   sections={"Our Response": "summary", "Closing Thoughts & What can you do?": _CLOSING},
   timeline_events=0, times={}, actions=[]),
})

def bullets(text):
    lines = text.split("\n"); out = []; on = False
    for line in lines:
        if line.startswith("#"):
            on = line.strip().lower() == "## action items"; continue
        if on and re.match(r"^[-*] ", line):
            t = re.sub(r"\*\*", "", line[2:]).strip()
            done = t.endswith("(done)")
            out.append({"title": t[:40].strip(), "status": "done" if done else "open", "owner": ""})
    return out
for p in sorted(R.glob("*.md")):
    if p.name == "SOURCES.md" or p.name in HELD_OUT: continue
    if p.name in RUST:
        r = RUST[p.name]
        out = {"sections": r["sections"], "timeline_events": r["timeline_events"],
               "action_items": [{"title": t, "status": "open", "owner": ""} for t in r["actions"]], "times": r["times"]}
        p.with_suffix(".expected.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
        continue
    text = p.read_text()
    parsed = blocks.parse(text, headings.is_section_name)
    sections = {}
    for s in parsed.sections[1:]:
        w = headings.words_of(s.heading)
        target = OVERRIDES.get(p.name, {}).get(s.heading)
        if target is None:
            target = next((t for rx, t in RULES if re.search(rx, w)), None)
        assert target is not None, (p.name, s.heading)
        sections[s.heading] = target
    acts = [{"title": t, "status": "open", "owner": ""} for t in ACTIONS[p.name]] if p.name in ACTIONS else bullets(text)
    out = {"sections": sections, "timeline_events": TIMELINE[p.name], "action_items": acts, "times": TIMES.get(p.name, {})}
    p.with_suffix(".expected.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(p.name, len(sections), len(acts))
for name, r in HELD_OUT.items():
    acts = [{"title": a, "status": "open", "owner": ""} if isinstance(a, str) else {"title": a[0], "status": a[1], "owner": ""}
            for a in r["actions"]]
    out = {"sections": r["sections"], "timeline_events": r["timeline_events"], "action_items": acts, "times": r["times"]}
    (R / name).with_suffix(".expected.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
