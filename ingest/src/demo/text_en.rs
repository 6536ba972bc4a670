//! The English lexicon: our own clause templates, smaller than the Chinese one
//! because English is about a tenth of the feedback.

use super::templates::{Bank, Lexicon};
use super::topic::Tone;
use super::vocab::Channel;

type Words = &'static [&'static str];

pub(super) static LEXICON: Lexicon = Lexicon {
    banks: [
        QUALITY, FUNCTION, SERVICE, LOGISTICS, PRICE, PACKAGING, APP_CRASH, APP_LAG, APP_LOGIN, REFUND, SAFETY,
    ],
    openers: &[
        "Honestly, ",
        "First review ever: ",
        "After {N} days of use, ",
        "Got my {P} today. ",
        "Bought the {P} for my parents. ",
        "Long-time customer here. ",
        "Update: ",
        "Quick note: ",
    ],
    also: &[" and ", ". Also, ", ". ", ", plus ", ". On top of that, "],
    but: &[", but ", ". However, ", ", though ", ", only "],
    closers: [
        &[
            ". Highly recommend!",
            ". Five stars.",
            ". Will buy again.",
            ". Very happy with it.",
        ],
        &[
            ". It's okay overall.",
            ". We'll see.",
            ". Could be better.",
            ". Hope this gets improved.",
        ],
        &[". A bit disappointed.", ". Please improve this.", ". Not great."],
        &[". Very disappointed!", ". Please fix this ASAP!", ". Not recommended."],
        &[
            ". Never buying again!!",
            ". I want a full refund!!",
            ". Filing a complaint!",
            ". Absolutely unacceptable!!",
        ],
    ],
    adverbs: [
        &["a bit", "slightly", "somewhat"],
        &["really", "very", "so"],
        &["extremely", "ridiculously", "incredibly"],
    ],
    service: &["customer service", "the support team", "the agent", "the seller"],
    store_service: &["the staff", "the sales assistant", "the store manager"],
    couriers: &["SF Express", "JD Logistics", "ZTO", "YTO", "Yunda", "J&T", "EMS"],
    ends: &[".", "!", "", "!!", "..."],
    any_version: "the latest version",
    titles: &[
        "Feedback on {T}",
        "{P}: {T} issue",
        "Complaint about {T}",
        "Question about my {P}",
        "Re: {T}",
    ],
    aspect_names: [
        "quality",
        "features",
        "service",
        "delivery",
        "pricing",
        "packaging",
        "app crashes",
        "app performance",
        "login",
        "refund",
        "safety",
    ],
    frame,
    english: true,
};

fn frame(channel: &Channel, _tone: Tone) -> (Words, Words) {
    match channel.name {
        "hotline" => (
            &["Caller reports: ", "Customer called: "],
            &[" Logged and escalated.", " Promised a call back within 24h."],
        ),
        "chat" => (&["Hi, ", "Hello? ", "Hi there, "], &[]),
        "email" => (
            &["Dear support,\n", "Hello,\n", "Hi team, "],
            &["\nThanks.", " Regards.", "\nLooking forward to your reply."],
        ),
        "survey" => (&["Overall: ", "Suggestion: "], &[]),
        _ => (&[], &[]),
    }
}

const QUALITY: Bank = Bank {
    praise: &[
        "great build quality, feels solid",
        "the {F} is {A} good",
        "quality is better than expected",
        "looks exactly like the pictures",
    ],
    neutral: &[
        "quality is okay for the price",
        "the {F} is average",
        "nothing special, does the job",
    ],
    complaint: &[
        "the quality is {A} poor, it broke after {N} days",
        "the {F} is {A} bad",
        "arrived damaged",
        "the {F} stopped working within a week",
        "I doubt this is genuine",
        "there is a strong chemical smell",
    ],
};

const FUNCTION: Bank = Bank {
    praise: &[
        "easy to use and full of features",
        "the {F} works perfectly",
        "my parents figured it out in minutes",
    ],
    neutral: &[
        "features are fine, nothing stands out",
        "the manual could be clearer",
        "please add more {F} settings",
    ],
    complaint: &[
        "the {F} doesn't work at all",
        "it keeps failing to connect to wifi",
        "the {F} is {A} unreliable",
        "the advertised {F} is missing",
    ],
};

const SERVICE: Bank = Bank {
    praise: &[
        "{S} was patient and helpful",
        "{S} replied {A} quickly",
        "{S} solved my problem in one call",
    ],
    neutral: &["{S} was slow but got there", "{S} said they would escalate it"],
    complaint: &[
        "{S} was {A} rude",
        "I called {N} times and nobody picked up",
        "{S} just pasted canned answers",
        "nobody ever called me back",
    ],
};

const LOGISTICS: Bank = Bank {
    praise: &[
        "delivery was {A} fast, next day",
        "{C} delivered right to my door",
        "shipped quickly and arrived intact",
    ],
    neutral: &["delivery took {N} days, normal", "shipping was average"],
    complaint: &[
        "delivery took {N} days, way longer than promised",
        "tracking hasn't updated in {N} days",
        "the courier left the package outside without telling me",
        "{C} lost my parcel",
        "the box was crushed",
    ],
};

const PRICE: Bank = Bank {
    praise: &["great value for money", "the sale price was a steal"],
    neutral: &["a bit pricey but acceptable", "price is similar to other shops"],
    complaint: &[
        "the price dropped right after I bought it",
        "{A} overpriced for what it is",
        "the coupon didn't work",
        "the promised gift was missing",
    ],
};

const PACKAGING: Bank = Bank {
    praise: &["well packed, no damage", "nice packaging, good as a gift"],
    neutral: &["packaging is basic", "the box was a bit worn"],
    complaint: &[
        "the packaging was {A} flimsy",
        "the box had already been opened",
        "parts were missing from the box",
    ],
};

const APP_CRASH: Bank = Bank {
    praise: &["the crashes are gone since {V}", "the app is stable now"],
    neutral: &[
        "the app crashes once in a while",
        "it crashed once on {V}, restarting fixed it",
    ],
    complaint: &[
        "the app keeps crashing after the {V} update",
        "the app crashes every time I open my orders",
        "it crashed during payment and I was charged twice",
        "{V} crashes on startup",
        "the app crashed {N} times today",
    ],
};

const APP_LAG: Bank = Bank {
    praise: &["the new version is much smoother", "pages load {A} fast"],
    neutral: &[
        "it lags sometimes but it's usable",
        "the redesign takes getting used to",
    ],
    complaint: &[
        "the app is {A} slow, pages take forever to load",
        "{V} drains my battery",
        "too many ads, everything lags",
    ],
};

const APP_LOGIN: Bank = Bank {
    praise: &["logging in with a QR code is quick", "one-tap login is convenient"],
    neutral: &[
        "I have to verify my login too often",
        "please support more login options",
    ],
    complaint: &[
        "I can't log in, it says network error",
        "the verification code never arrives",
        "{V} logs me out every day",
    ],
};

const REFUND: Bank = Bank {
    praise: &["the refund arrived the next day", "after-sales handled it {A} well"],
    neutral: &[
        "the return process is slow but it worked",
        "my refund is still under review",
    ],
    complaint: &[
        "still waiting for my refund after {N} days",
        "they rejected my return for no reason",
        "the repair failed {N} times",
        "the seller claims they never got my return",
    ],
};

const SAFETY: Bank = Bank {
    praise: &["it feels safe, no overheating"],
    neutral: &["the case gets warm after a while"],
    complaint: &[
        "my {P} gave me an electric shock",
        "it started smoking while in use",
        "the plug is scorched, this is {A} dangerous",
    ],
};
