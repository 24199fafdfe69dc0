"""Demo content: the home page and the guides for families, published idempotently.

`seed_pages()` can run any number of times. Pages are found by slug under the home page;
one is only written when its content differs from the text below, and never once a person
has edited it in the CMS (its latest revision has a user): an editor's work is theirs.
Wagtail's "Welcome to your new Wagtail site!" page is replaced by our HomePage, and the
default Site points at the HomePage.

The law behind the guides: docs/statutory-clock.md (England). Phone numbers are from Ofcom's
range for drama (0113 496 0000 to 0999) and addresses are example.org: the authority is
fictional.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, Site

from agencies.models import LocalAuthority
from home.models import HomePage, InformationPage

HOME_SLUG = "home"


# Building blocks for StreamField content, in the raw form Wagtail stores.


def text(html):
    return {"type": "text", "value": html}


def inset(html):
    return {"type": "inset_text", "value": html}


def warning(sentence):
    return {"type": "warning_text", "value": sentence}


def details(summary, html):
    return {"type": "details", "value": {"summary": summary, "text": html}}


def accordion(*sections):
    return {
        "type": "accordion",
        "value": {"sections": [{"heading": h, "text": t} for h, t in sections]},
    }


def glossary(*terms):
    return {"type": "glossary",
            "value": {"terms": [{"term": t, "meaning": m} for t, m in terms]}}


def contact(organisation, helps_with, phone="", email="", website="", opening_hours=""):
    return {
        "type": "contact",
        "value": {
            "organisation": organisation,
            "helps_with": helps_with,
            "phone": phone,
            "email": email,
            "website": website,
            "opening_hours": opening_hours,
        },
    }


WEEKDAYS = "Monday to Friday, 9am to 5pm"


def sendiass():
    return contact(
        "Demo SENDIASS (Special Educational Needs and Disabilities Information, Advice and "
        "Support Service)",
        "Free information, advice and support for children, young people up to 25, and "
        "their parents and carers. It does not take sides. It can help with plans, annual "
        "reviews, mediation and appeals.",
        phone="0113 496 0100",
        email="sendiass@example.org",
        website="https://sendiass.example.org/",
        opening_hours=WEEKDAYS,
    )


def advocacy_provider():
    return contact(
        "Demo Independent Advocacy Service",
        "Free, independent advocates for children, young people and their families at "
        "annual reviews.",
        phone="0113 496 0200",
        email="advocacy@example.org",
        website="https://advocacy.example.org/",
        opening_hours=WEEKDAYS,
    )


def mediation_service():
    return contact(
        "Demo Mediation Service",
        "Mediation advice and mediation about decisions on Education, Health and Care "
        "plans. It is independent of the council.",
        phone="0113 496 0300",
        email="mediation@example.org",
        website="https://mediation.example.org/",
        opening_hours=WEEKDAYS,
    )


def service_desk():
    return contact(
        f"{settings.SITE_NAME} service desk",
        "Help with signing in, links in our emails and using this service. For questions "
        "about your child's plan or review, contact your case officer.",
        phone="0113 496 0400",
        email="servicedesk@example.org",
        opening_hours=WEEKDAYS,
    )


def data_protection_officer():
    return contact(
        f"Data protection officer, {LocalAuthority.portal_name()}",
        "Questions about how your information is used, and requests to see, correct or "
        "delete it.",
        phone="0113 496 0500",
        email="dataprotection@example.org",
        opening_hours=WEEKDAYS,
    )


@dataclass
class PageSpec:
    slug: str
    title: str
    summary: str
    body: list = field(default_factory=list)
    show_in_menus: bool = True


def home_page_content():
    intro = (
        "<p>Every child or young person with an Education, Health and Care plan (EHCP, or "
        "EHC plan) has a review of their plan at least once a year. This is the annual "
        "review.</p>"
        "<p>Families use this service to give their views, ask for a free independent "
        "advocate, join the meeting and read what was decided.</p>"
        "<p>Schools, colleges, health, social care and the council use it to give their "
        "advice and to run each review on time.</p>"
    )
    body = [
        inset(
            "<p>New to this service? Read <a href=\"/help/\">help using this service</a> "
            "before you sign in.</p>"
        ),
    ]
    return settings.SITE_NAME, intro, body


def guides():
    return [
        PageSpec(
            slug="annual-review",
            title="What happens at an annual review, and when",
            summary=(
                "Your child's Education, Health and Care plan (EHC plan) must be reviewed at "
                "least once a year. This guide explains each step and its time limit."
            ),
            body=[
                text(
                    "<h2>What an annual review is</h2>"
                    "<p>An Education, Health and Care plan (EHC plan) is a legal document. "
                    "It says what help your child needs and who must give it.</p>"
                    "<p>The council must review the plan at least once every 12 months. "
                    "This is the annual review. It checks how your child is getting on, and "
                    "whether the plan still gives the right help.</p>"
                    "<h2>Who takes part</h2>"
                    "<ul><li>you and your child</li>"
                    "<li>your child's school or college</li>"
                    "<li>the council's special educational needs team</li>"
                    "<li>someone from health, such as a therapist or doctor</li>"
                    "<li>someone from social care</li></ul>"
                    "<p>Your child's views are important. They can share them in the way that "
                    "suits them best, such as talking, writing, drawing or a recording.</p>"
                    "<h2>The steps and the time limits</h2>"
                    "<h3>1. At least 2 weeks before the meeting: you are invited</h3>"
                    "<p>You must be told about the meeting at least 2 weeks before it "
                    "happens. The school, health, social care and the council are invited "
                    "too.</p>"
                    "<h3>2. Before the meeting: everyone gives advice</h3>"
                    "<p>Everyone invited is asked for their advice. This means what is "
                    "going well, what is hard and what should change. You and your child "
                    "are asked too.</p>"
                    "<p>The advice must be sent to everyone at least 2 weeks before the "
                    "meeting. This gives you time to read it.</p>"
                    "<h3>3. The meeting</h3>"
                    "<p>The meeting looks at every outcome in the plan. An outcome is a goal "
                    "your child is working towards. From Year 9, the meeting also plans for "
                    "adult life. Read <a href=\"/preparing-for-adulthood/\">preparing for "
                    "adulthood from Year 9</a>.</p>"
                    "<h3>4. Within 2 weeks of the meeting: the report</h3>"
                    "<p>A report of the meeting is sent to you, the council and everyone "
                    "invited. It says what changes people want to the plan. It also says "
                    "where people disagree.</p>"
                    "<h3>5. Within 4 weeks of the meeting: the council decides</h3>"
                    "<p>The council must write to you within 4 weeks of the meeting. The "
                    "letter says whether the council will:</p>"
                    "<ul><li>keep the plan as it is</li>"
                    "<li>change the plan (this is called amending it)</li>"
                    "<li>stop the plan (this is called ceasing it)</li></ul>"
                    "<h3>6. If the plan is changed</h3>"
                    "<p>If the council wants to change the plan, its letter must come with "
                    "the changes it suggests, a copy of the plan as it is now, and the "
                    "advice and reports it used.</p>"
                    "<p>You then have at least 15 days to say what you think. You can ask "
                    "for a school or college to be named in the plan. You can also ask to "
                    "meet someone from the council.</p>"
                    "<p>The council must send you the final plan within 8 weeks of sending "
                    "the suggested changes.</p>"
                ),
                inset(
                    "<p>From the meeting to the final plan should take <b>no more than "
                    "12 weeks</b>.</p>"
                ),
                warning(
                    "If you disagree with the council's decision, there are time limits to "
                    "challenge it. Check the date on the decision letter."
                ),
                text(
                    "<p>Read <a href=\"/if-you-disagree/\">if you disagree with a decision</a> "
                    "to find out what you can do.</p>"
                ),
                details(
                    "What if my child is moving to a new school?",
                    "<p>The plan must be reviewed, and changed to name the new school, "
                    "before 15 February in the year your child moves. This is for moves:</p>"
                    "<ul><li>from nursery to school</li>"
                    "<li>from infant to junior school</li>"
                    "<li>from primary to middle or secondary school</li>"
                    "<li>from middle to secondary school</li></ul>"
                    "<p>For a move from secondary school to a sixth form or college, the "
                    "date is 31 March.</p>",
                ),
                details(
                    "What if my child is under 5?",
                    "<p>Young children change quickly. The council should think about "
                    "reviewing the plan every 3 to 6 months.</p>",
                ),
                details(
                    "Can we have a review sooner?",
                    "<p>Yes, you or the school can ask for an early review if things have "
                    "changed. The council decides whether to hold one.</p>",
                ),
                text("<h2>Free help and advice</h2>"),
                sendiass(),
            ],
        ),
        PageSpec(
            slug="advocacy",
            title="Your right to an independent advocate",
            summary=(
                "An advocate can help you and your child have your say at the annual "
                "review. It is free."
            ),
            body=[
                inset(
                    "<p>You can have an independent advocate to help you. <b>It is free.</b></p>"
                ),
                text(
                    "<h2>What an advocate does</h2>"
                    "<p>An advocate is someone who is on your side. They are independent. "
                    "This means they do not work for your child's school, and they do not "
                    "make decisions about the plan.</p>"
                    "<p>An advocate can:</p>"
                    "<ul><li>explain letters, reports and words you do not know</li>"
                    "<li>help you and your child get ready for the meeting</li>"
                    "<li>help your child say what they think, in their own way</li>"
                    "<li>come to the meeting with you</li>"
                    "<li>help you understand what happens next</li></ul>"
                    "<p>An advocate will not make choices for you. They help you say what "
                    "you want, and make sure you are listened to.</p>"
                    "<h2>How to ask for an advocate</h2>"
                    "<ol><li><a href=\"/accounts/login/\">Sign in</a> to this service.</li>"
                    "<li>Go to your child's review page.</li>"
                    "<li>You will see the question: would you like an independent "
                    "advocate? Choose <b>yes</b>.</li></ol>"
                    "<p>The advocacy service will then contact you. Your advocate is invited "
                    "to the review, like everyone else taking part.</p>"
                    "<p>If you are not sure yet, you can answer later. You can change your "
                    "mind at any time.</p>"
                    "<p>You can also contact the advocacy service yourself.</p>"
                ),
                advocacy_provider(),
                details(
                    "Can my child have their own advocate?",
                    "<p>Yes. An advocate can help your child share their views. This could "
                    "be by talking, drawing, using pictures or making a recording.</p>"
                    "<p>Young people aged 16 and over can ask for an advocate "
                    "themselves.</p>",
                ),
                details(
                    "Is an advocate the same as a lawyer?",
                    "<p>No. An advocate helps you take part and be heard. If you want "
                    "advice about the law or about challenging a decision, contact "
                    "SENDIASS (Special Educational Needs and Disabilities Information, "
                    "Advice and Support Service). Read <a href=\"/if-you-disagree/\">if "
                    "you disagree with a decision</a>.</p>",
                ),
            ],
        ),
        PageSpec(
            slug="if-you-disagree",
            title="If you disagree with a decision",
            summary=(
                "You can challenge the council's decisions about your child's Education, "
                "Health and Care plan (EHC plan). This guide explains how, and the time "
                "limits."
            ),
            body=[
                warning(
                    "There are time limits. You usually have 2 months from the date on the "
                    "decision letter to appeal."
                ),
                text(
                    "<h2>1. Talk to your case officer</h2>"
                    "<p>Your case officer is the person at the council who looks after your "
                    "child's plan. Their name is on the decision letter.</p>"
                    "<p>Tell them what you disagree with, and why. Many problems can be "
                    "sorted out this way. Talking to them does not stop the time limits, so "
                    "keep an eye on the dates.</p>"
                    "<h2>2. Get free advice from SENDIASS</h2>"
                    "<p>SENDIASS stands for Special Educational Needs and Disabilities "
                    "Information, Advice and Support Service. Every council must have "
                    "one.</p>"
                    "<p>It gives free information, advice and support. It is impartial. "
                    "This means it does not take sides. It can explain the decision, your "
                    "choices and the time limits.</p>"
                ),
                sendiass(),
                text(
                    "<h2>3. Mediation</h2>"
                    "<p>Mediation is a meeting with an independent person called a "
                    "mediator. They help you and the council try to agree. It is free for "
                    "you.</p>"
                    "<p>Before you can appeal, you must contact a mediation adviser. Do this "
                    "<b>within 2 months of the date on the decision letter</b>. The letter "
                    "gives the contact details.</p>"
                    "<ul><li>If you do not want mediation, the adviser gives you a "
                    "certificate within 3 working days. You need it to appeal.</li>"
                    "<li>If you want mediation, it must take place within 30 days. You get "
                    "a certificate within 3 working days after it ends.</li></ul>"
                ),
                details(
                    "When do I not need to contact a mediation adviser?",
                    "<p>If you only want to appeal about the school or college named in the "
                    "plan, you do not need to contact a mediation adviser first.</p>",
                ),
                mediation_service(),
                text(
                    "<h2>4. Appeal to the tribunal</h2>"
                    "<p>A tribunal is like a court, but less formal. The First-tier "
                    "Tribunal (Special Educational Needs and Disability) hears appeals about "
                    "plans. It does not work for the council.</p>"
                    "<p>You must appeal by whichever of these dates is later:</p>"
                    "<ul><li>2 months after the date on the decision letter</li>"
                    "<li>1 month after the date on your mediation certificate</li></ul>"
                    "<p><a href=\"https://www.gov.uk/appeal-ehc-plan-decision\">Find out how "
                    "to appeal on GOV.UK</a>.</p>"
                ),
                details(
                    "What if the last day is in August, or at Christmas?",
                    "<p>If the last day falls in August, you have until the first working "
                    "day of September. If it falls between 25 December and 1 January, you "
                    "have until the next working day.</p>",
                ),
                text("<h2>If the council decides to stop the plan</h2>"),
                inset(
                    "<p>If you appeal against a decision to stop (cease) the plan, <b>the "
                    "plan stays in place until the appeal is decided</b>. The council must "
                    "keep giving the help in the plan.</p>"
                ),
            ],
        ),
        PageSpec(
            slug="preparing-for-adulthood",
            title="Preparing for adulthood from Year 9",
            summary=(
                "From Year 9, every annual review also plans for adult life. This guide "
                "explains what that means and the dates to know."
            ),
            body=[
                text(
                    "<h2>What changes from Year 9</h2>"
                    "<p>Most children are 13 or 14 in Year 9. From then on, every annual "
                    "review must talk about preparing for adulthood. This means planning "
                    "for the life your child wants as an adult.</p>"
                    "<p>The plan should have outcomes that help your child get there. An "
                    "outcome is a goal. The meeting looks at 4 areas of life.</p>"
                ),
                accordion(
                    (
                        "Work and study (employment)",
                        "<p>This could be paid work, an apprenticeship, a supported "
                        "internship, more study or training, or volunteering.</p>"
                        "<p>What does your child enjoy? What are they good at? Work "
                        "experience can help them find out.</p>",
                    ),
                    (
                        "Independent living",
                        "<p>This means your child having choice and control over their "
                        "life. Where do they want to live, and who with?</p>"
                        "<p>It includes skills like cooking, handling money and travelling "
                        "on their own, with support if they need it.</p>",
                    ),
                    (
                        "Friends, relationships and community",
                        "<p>Having friends and keeping in touch with them. Taking part in "
                        "clubs, activities and local life. Knowing how to stay safe.</p>",
                    ),
                    (
                        "Good health",
                        "<p>Being as healthy as possible. Understanding their own health "
                        "needs. Getting ready to move from children's to adults' health "
                        "services.</p>",
                    ),
                ),
                text(
                    "<h2>Young people's rights at 16</h2>"
                    "<p>At the end of the school year in which your child turns 16, the law "
                    "calls them a young person. From then on, they make their own decisions "
                    "about their plan.</p>"
                    "<p>For example, they can:</p>"
                    "<ul><li>give their own views and ask for an advocate</li>"
                    "<li>say which school or college they want</li>"
                    "<li>go to mediation or appeal to the tribunal</li></ul>"
                    "<p>You can still support them. They can ask you to help or to act for "
                    "them. If they are not able to make a decision themselves, the law says "
                    "who can make it for them. SENDIASS (Special Educational Needs and "
                    "Disabilities Information, Advice and Support Service) can explain "
                    "this.</p>"
                ),
                inset(
                    "<p>A plan can carry on up to age 25, if the young person is still in "
                    "education or training and still needs it. It ends if they go to "
                    "university or leave education or training.</p>"
                ),
                text(
                    "<h2>Moving on after school: dates to know</h2>"
                    "<p>If your child is moving from secondary school to a sixth form, "
                    "college or training place, the plan must be reviewed and changed to "
                    "name the new place <b>by 31 March</b> of the year they move.</p>"
                    "<p>If they are moving between two colleges or training places at "
                    "another time of year, this must happen at least 5 months before the "
                    "move.</p>"
                ),
                warning(
                    "Start planning early. Visit colleges and training places in Year 10 and "
                    "Year 11, so your child's choice can be named by 31 March."
                ),
                details(
                    "Who else might come to the Year 9 review?",
                    "<p>People who can help plan for the future may be invited. This could "
                    "be a careers adviser, someone from a college, or someone from adult "
                    "social care or adult health services.</p>",
                ),
                text("<h2>Free help and advice</h2>"),
                sendiass(),
            ],
        ),
        PageSpec(
            slug="words-we-use",
            title="Words we use",
            summary="What the words and short forms used about reviews mean.",
            body=[
                text("<p>These are words you may read on this service, in letters, or "
                     "hear at the meeting. If a word is not here, ask the person who runs "
                     "your child's review.</p>"),
                glossary(
                    ("Advocate", "Someone on your side who helps you say what you think. "
                                 "An independent advocate does not work for the council or "
                                 "the school. It is free."),
                    ("Amend", "To change. The council may amend the plan after a review."),
                    ("Annual review", "A meeting at least once a year. It checks that the "
                                      "plan still gives the right help."),
                    ("Appeal", "Asking the Tribunal to change the council's decision."),
                    ("CAMHS", "Children and young people's mental health services. They are "
                              "part of the NHS."),
                    ("Case officer", "The person at the council who runs your child's "
                                     "review. Their name, email and phone are on your "
                                     "review page."),
                    ("Cease", "To stop. The council may cease the plan."),
                    ("Disagreement resolution", "A free service that helps you and the "
                                                "council, school or health service sort out "
                                                "a disagreement."),
                    ("EHC plan", "An education, health and care plan. It says what help a "
                                 "child or young person needs, and who must give it."),
                    ("Mediation", "A meeting with someone who is on nobody's side. They help "
                                  "you and the council try to agree."),
                    ("NHS", "The National Health Service."),
                    ("Outcome", "A goal in the plan that your child is working towards."),
                    ("Paediatrician", "A doctor for children."),
                    ("SEN", "Special educational needs. A child has them if they need more "
                            "help to learn than most children of their age."),
                    ("SENCO", "Special educational needs co-ordinator. The teacher at a "
                              "school who makes sure children get the extra help they "
                              "need."),
                    ("SENDIASS", "Special Educational Needs and Disabilities Information, "
                                 "Advice and Support Service. It gives free advice. It does "
                                 "not work for the council or the school."),
                    ("Tribunal", "A special court that decides appeals about plans. It does "
                                 "not work for the council."),
                ),
            ],
        ),
        PageSpec(
            slug="help",
            title="Help using this service",
            summary="How to sign in, and who to contact if you need help.",
            body=[
                text(
                    "<h2>Signing in</h2>"
                    "<p>The first time, we send you an email with a link. Open the link to "
                    "set up your account and choose a password.</p>"
                    "<p>After that, <a href=\"/accounts/login/\">sign in</a> with your email "
                    "address and password. If you forget your password, choose "
                    "\u201cForgot your password?\u201d on the sign in page.</p>"
                    "<h2>Links in our emails</h2>"
                    "<p>We email you when there is something to do, for example to give "
                    "your views before a meeting. The link in the email takes you to the "
                    "right page. You may need to sign in first.</p>"
                    "<p>If a link does not work, sign in and go to your child's review. You "
                    "will find the same page there.</p>"
                ),
                warning("We will never ask for your password in an email or on the phone."),
                text(
                    "<h2>If you work for a school, the council, health or social care</h2>"
                    "<p>You must set up two-step sign in. This keeps children's information "
                    "safe.</p>"
                    "<ol><li>Install an authenticator app on your phone. For example, "
                    "Microsoft Authenticator or Google Authenticator.</li>"
                    "<li>The first time you sign in, scan the code on the screen with the "
                    "app.</li>"
                    "<li>Each time you sign in, type your password and then the 6-digit "
                    "code from the app.</li></ol>"
                    "<p>You will be given recovery codes. Keep them somewhere safe. You can "
                    "use one to sign in if you lose your phone.</p>"
                    "<h2>Who to contact</h2>"
                    "<p>For questions about your child's plan or review, contact your case "
                    "officer. Their name is on your child's review page and on letters from "
                    "the council.</p>"
                    "<p>For problems with this service, such as signing in, contact the "
                    "service desk.</p>"
                ),
                service_desk(),
            ],
        ),
        PageSpec(
            slug="accessibility",
            title="Accessibility statement",
            summary=(
                f"How accessible the {settings.SITE_NAME} service is, and how to tell us "
                "about a problem."
            ),
            show_in_menus=False,
            body=[
                text(
                    f"<p>This statement is for the {settings.SITE_NAME} service, run by "
                    f"{LocalAuthority.portal_name()}.</p>"
                    "<p>We want as many people as possible to be able to use this service. "
                    "For example, you should be able to:</p>"
                    "<ul><li>change colours, contrast and fonts using your browser</li>"
                    "<li>zoom in up to 400% without the text spilling off the screen</li>"
                    "<li>use the whole service with just a keyboard</li>"
                    "<li>use the service with a screen reader</li>"
                    "<li>use the service on a mobile phone</li></ul>"
                    "<p>We have also made the words as simple as we can.</p>"
                    "<p><a href=\"https://mcmw.abilitynet.org.uk/\">AbilityNet</a> has "
                    "advice on making your device easier to use if you have a "
                    "disability.</p>"
                    "<h2>How accessible this service is</h2>"
                    "<p>This service is in beta. This means it is new and we are still "
                    "improving it.</p>"
                    "<p>We aim to meet the Web Content Accessibility Guidelines (WCAG) "
                    "version 2.2 at level AA. We test the service with automated tools "
                    "(axe) and by using it with only a keyboard. We have not yet had the "
                    "whole service checked by an accessibility expert.</p>"
                    "<h2>Known issues</h2>"
                    "<p>Any parts of this service that are not fully accessible will be "
                    "listed here, with when we plan to fix them. We do not know of any yet. "
                    "If you find one, please tell us.</p>"
                    "<h2>Reporting a problem, or asking for another format</h2>"
                    "<p>If you find a problem, or you need information in another format "
                    "such as large print, easy read, audio or braille, contact the service "
                    "desk.</p>"
                ),
                service_desk(),
                text(
                    "<h2>If you are not happy with our reply</h2>"
                    "<p>The Equality and Human Rights Commission (EHRC) makes sure public "
                    "bodies follow the accessibility regulations. These are the Public "
                    "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
                    "Regulations 2018.</p>"
                    "<p>If you are not happy with how we respond to your complaint, contact "
                    "the <a href=\"https://www.equalityadvisoryservice.com/\">Equality "
                    "Advisory and Support Service (EASS)</a>.</p>"
                ),
            ],
        ),
        PageSpec(
            slug="privacy",
            title="Privacy notice",
            summary=(
                f"How {LocalAuthority.portal_name()} uses information about you and your child "
                "in this service, and your rights."
            ),
            show_in_menus=False,
            body=[
                text(
                    "<h2>Who is responsible for your information</h2>"
                    f"<p>{LocalAuthority.portal_name()} is the controller of your information. "
                    "This means the council decides how it is used, and must keep it "
                    "safe.</p>"
                    "<p>Our data protection officer can answer questions about this "
                    "notice.</p>"
                ),
                data_protection_officer(),
                text(
                    "<h2>What information we use</h2>"
                    "<ul><li>the names and contact details of your child, you, and the "
                    "people taking part in the review</li>"
                    "<li>your child's date of birth, school or college and year group</li>"
                    "<li>your child's Education, Health and Care plan (EHC plan)</li>"
                    "<li>the advice people give for the review, notes of the meeting, the "
                    "report and the council's decisions</li>"
                    "<li>what you and your child tell us, including your views</li>"
                    "<li>for people who work for a school, the council or another service: "
                    "their job, their organisation and what they did in this service</li>"
                    "<li>when people sign in, to keep the service secure</li></ul>"
                    "<p>Some of this is special category information. This means the law "
                    "gives it extra protection. It includes information about your child's "
                    "health and special educational needs.</p>"
                    "<h2>Why we use it</h2>"
                    "<p>The council must keep and review EHC plans. This is a duty under the "
                    "Children and Families Act 2014 and the Special Educational Needs and "
                    "Disability Regulations 2014. We use your information to do this.</p>"
                    "<p>The law that lets us use it is the UK General Data Protection "
                    "Regulation (UK GDPR):</p>"
                    "<ul><li>Article 6(1)(e): the council needs it to do a task in the "
                    "public interest, set by law</li>"
                    "<li>Article 9(2)(g), for special category information: reasons of "
                    "substantial public interest, with the Data Protection Act 2018, "
                    "Schedule 1, paragraph 6 (duties set by law)</li>"
                    "<li>Article 9(2)(h), for special category information: health and "
                    "social care, with the Data Protection Act 2018, Schedule 1, "
                    "paragraph 2</li></ul>"
                    "<h2>Who can see it</h2>"
                    "<p>Only the people taking part in your child's review can see it. This "
                    "means you, your child, the school or college, the council's special "
                    "educational needs team, and the health, social care and other "
                    "professionals invited to the review. If you ask for an advocate, they "
                    "can see it too. Each person sees only the reviews they take part "
                    "in.</p>"
                    "<p>The council must send some information about EHC plans to the "
                    "Department for Education each year.</p>"
                    "<p>Companies that run parts of this service for us, such as hosting, "
                    "may store it. They must follow our instructions and keep it safe. We "
                    "never sell your information or use it for advertising.</p>"
                    "<h2>How long we keep it</h2>"
                    "<p>How long we keep your information is set by the council's "
                    "retention schedule. This is a list of how long each kind of record is "
                    "kept. Ask our data protection officer for a copy.</p>"
                    "<h2>Your rights</h2>"
                    "<p>To use any of these rights, contact our data protection officer. "
                    "It is free. We will usually reply within 1 month.</p>"
                ),
                accordion(
                    (
                        "See your information",
                        "<p>You can ask for a copy of the information we hold about you or "
                        "your child. This is called a subject access request.</p>",
                    ),
                    (
                        "Correct your information",
                        "<p>You can ask us to correct information that is wrong, or to add "
                        "to information that is not complete.</p>",
                    ),
                    (
                        "Delete your information or limit how we use it",
                        "<p>You can ask us to delete your information, or to use it less. "
                        "We cannot always do this, because the law says we must keep some "
                        "records.</p>",
                    ),
                    (
                        "Object to how we use it",
                        "<p>You can object to how we use your information. We will stop, "
                        "unless we have strong legal reasons to carry on.</p>",
                    ),
                ),
                text(
                    "<h2>Cookies</h2>"
                    "<p>This service only uses the cookies it needs to work, such as the "
                    "one that keeps you signed in. We do not use cookies to track you or "
                    "for advertising.</p>"
                    "<h2>How to complain</h2>"
                    "<p>If you are unhappy with how we have used your information, tell our "
                    "data protection officer first. You can also complain to the "
                    "Information Commissioner's Office (ICO).</p>"
                ),
                contact(
                    "Information Commissioner's Office (ICO)",
                    "The UK's independent body for information rights.",
                    phone="0303 123 1113",
                    website="https://ico.org.uk/make-a-complaint/",
                ),
            ],
        ),
    ]


# Writing the pages.


def _without_ids(data):
    if isinstance(data, dict):
        return {k: _without_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


def _stream(model, value):
    """The canonical, id-free JSON of a body, stored or raw: for comparing content."""
    if not hasattr(value, "stream_block"):
        value = model._meta.get_field("body").stream_block.to_python(value)
    return _without_ids([child.get_prep_value() for child in value])


def _edited_by_a_person(page):
    revision = page.latest_revision
    return revision is not None and revision.user_id is not None


def _write(page, fields, created):
    """Publish `fields` on `page` unless they are already live. Returns what it did."""
    model = type(page)
    if not created:
        if _edited_by_a_person(page):
            return "kept (edited in the CMS)"
        same = all(
            _stream(model, getattr(page, name)) == _stream(model, value)
            if name == "body"
            else getattr(page, name) == value
            for name, value in fields.items()
        )
        if same and page.live and not page.has_unpublished_changes:
            return "unchanged"
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return "created" if created else "updated"


def _is_wagtails_welcome_page(page):
    return (
        page.content_type_id == ContentType.objects.get_for_model(Page).id
        and page.numchild == 0
    )


def _ensure_home_page(root):
    title, intro, body = home_page_content()
    fields = {"title": title, "intro": intro, "body": body}
    home = HomePage.objects.first()
    if home is not None:
        return home, _write(home, fields, created=False)

    welcome = root.get_children().filter(slug=HOME_SLUG).first()
    if welcome is not None and _is_wagtails_welcome_page(welcome):
        # Site.root_page cascades on delete: hold the sites on the root while we swap.
        Site.objects.filter(root_page=welcome).update(root_page=root)
        welcome.delete()
    slug = HOME_SLUG
    if root.get_children().filter(slug=slug).exists():
        slug = "ehcp-annual-reviews"
    home = HomePage(slug=slug, **fields)
    root.add_child(instance=home)
    return home, _write(home, fields, created=True)


def _point_sites_at(home, root):
    Site.objects.filter(root_page=root).update(root_page=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=settings.SITE_NAME,
        )
    elif site.root_page_id != home.id or site.site_name != settings.SITE_NAME:
        site.root_page = home
        site.site_name = settings.SITE_NAME
        site.save()


def _ensure_information_page(home, spec):
    fields = {
        "title": spec.title,
        "summary": spec.summary,
        "body": spec.body,
        "show_in_menus": spec.show_in_menus,
    }
    existing = home.get_children().filter(slug=spec.slug).specific().first()
    if existing is None:
        page = InformationPage(slug=spec.slug, **fields)
        home.add_child(instance=page)
        return _write(page, fields, created=True)
    if not isinstance(existing, InformationPage):
        return "kept (another kind of page has this slug)"
    return _write(existing, fields, created=False)


@transaction.atomic
def seed_pages():
    """Publish the home page and the family guides. Returns {slug: what was done}."""
    root = Page.get_first_root_node()
    home, done = _ensure_home_page(root)
    _point_sites_at(home, root)
    report = {"/": done}
    for spec in guides():
        report[f"/{spec.slug}/"] = _ensure_information_page(home, spec)
    return report
