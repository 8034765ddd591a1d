//! What riders are told (R27, R12, R18): SMS/push texts in Kazakh, Russian and English.

use super::money::Tenge;

/// A message to a rider, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    RentalStarted {
        bike: i64,
    },
    RentalEnded {
        minutes: i64,
        price: Tenge,
    },
    PaymentReceived {
        amount: Tenge,
        balance: Tenge,
    },
    PassBought {
        pass: String,
        until: String,
    },
    Restricted {
        balance: Tenge,
    },
    RestrictionLifted,
    Fine {
        kind: super::fine::FineKind,
        amount: Tenge,
    },
    ClaimCredited {
        amount: Tenge,
    },
    Overdue,
    Refunded {
        amount: Tenge,
    },
    Blocked {
        reason: String,
    },
    Unblocked,
    PinReset,
    CardBlocked,
}

impl Notice {
    /// The message kind stored in the outbox.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::RentalStarted { .. } => "rental-started",
            Notice::RentalEnded { .. } => "rental-ended",
            Notice::PaymentReceived { .. } => "payment",
            Notice::PassBought { .. } => "pass",
            Notice::Restricted { .. } => "restricted",
            Notice::RestrictionLifted => "restriction-lifted",
            Notice::Fine { .. } => "fine",
            Notice::ClaimCredited { .. } => "claim",
            Notice::Overdue => "overdue",
            Notice::Refunded { .. } => "refund",
            Notice::Blocked { .. } => "blocked",
            Notice::Unblocked => "unblocked",
            Notice::PinReset => "pin-reset",
            Notice::CardBlocked => "card-blocked",
        }
    }

    /// The text in the rider's language (`kk`, `ru`, anything else: English).
    pub fn text(&self, lang: &str) -> String {
        use Notice::*;
        match (lang, self) {
            ("kk", RentalStarted { bike }) => {
                format!("Старт сәтті өтті, сәт сапар болсын! Велосипед №{bike}.")
            }
            ("ru", RentalStarted { bike }) => {
                format!("Старт успешный, счастливого пути! Велосипед №{bike}.")
            }
            (_, RentalStarted { bike }) => {
                format!("Start successful, have a good trip! Bike #{bike}.")
            }
            ("kk", RentalEnded { minutes, price }) => {
                format!("Қайтару ОК. Сау болыңыз. Сапар {minutes} мин, құны {price}.")
            }
            ("ru", RentalEnded { minutes, price }) => {
                format!("Возврат ОК. До свидания. Поездка {minutes} мин, стоимость {price}.")
            }
            (_, RentalEnded { minutes, price }) => {
                format!("Return OK. Goodbye. Trip {minutes} min, price {price}.")
            }
            ("kk", PaymentReceived { amount, balance }) => {
                format!("Төлем қабылданды: {amount}. Теңгерім: {balance}.")
            }
            ("ru", PaymentReceived { amount, balance }) => {
                format!("Платёж получен: {amount}. Баланс: {balance}.")
            }
            (_, PaymentReceived { amount, balance }) => {
                format!("Payment received: {amount}. Balance: {balance}.")
            }
            ("kk", PassBought { pass, until }) => {
                format!("Абонемент «{pass}» {until} дейін жарамды.")
            }
            ("ru", PassBought { pass, until }) => {
                format!("Абонемент «{pass}» действует до {until}.")
            }
            (_, PassBought { pass, until }) => format!("Pass \"{pass}\" valid until {until}."),
            ("kk", Restricted { balance }) => {
                format!("Теңгерім {balance}: жалдау шектелді. Қарызды 1 күн ішінде төлеңіз.")
            }
            ("ru", Restricted { balance }) => {
                format!("Баланс {balance}: прокат ограничен. Погасите долг в течение 1 дня.")
            }
            (_, Restricted { balance }) => format!(
                "Balance {balance}: rentals are restricted. Please pay the debt within 1 day."
            ),
            ("kk", RestrictionLifted) => "Шектеу алынды, жалдауға болады.".to_string(),
            ("ru", RestrictionLifted) => "Ограничение снято, прокат доступен.".to_string(),
            (_, RestrictionLifted) => "The restriction is lifted: you can rent again.".to_string(),
            ("kk", Fine { kind, amount }) => format!("Айыппұл ({kind}): {amount}."),
            ("ru", Fine { kind, amount }) => format!("Штраф ({kind}): {amount}."),
            (_, Fine { kind, amount }) => format!("Fine ({kind}): {amount}."),
            ("kk", ClaimCredited { amount }) => {
                format!("Шағымыңыз қанағаттандырылды: шотқа {amount} қайтарылды.")
            }
            ("ru", ClaimCredited { amount }) => {
                format!("Ваша претензия признана: на счёт зачислено {amount}.")
            }
            (_, ClaimCredited { amount }) => {
                format!("Your claim was recognised: {amount} credited to your account.")
            }
            ("kk", Overdue) => {
                "Велосипед 24 сағаттан астам қайтарылмады: айыппұл қолданылады.".to_string()
            }
            ("ru", Overdue) => {
                "Велосипед не возвращён более 24 часов: применяется штраф.".to_string()
            }
            (_, Overdue) => {
                "The bike has not been returned for over 24 hours: a late fine applies.".to_string()
            }
            ("kk", Refunded { amount }) => format!("Шарт бұзылды. Қайтарылатын сома: {amount}."),
            ("ru", Refunded { amount }) => format!("Договор расторгнут. К возврату: {amount}."),
            (_, Refunded { amount }) => format!("Contract ended. Refund: {amount}."),
            ("kk", Blocked { reason }) => format!("Қолжетімділік бұғатталды: {reason}."),
            ("ru", Blocked { reason }) => format!("Доступ заблокирован: {reason}."),
            (_, Blocked { reason }) => format!("Access blocked: {reason}."),
            ("kk", Unblocked) => "Қолжетімділік қалпына келтірілді.".to_string(),
            ("ru", Unblocked) => "Доступ восстановлен.".to_string(),
            (_, Unblocked) => "Access restored.".to_string(),
            ("kk", PinReset) => "PIN-код өзгертілді.".to_string(),
            ("ru", PinReset) => "PIN-код изменён.".to_string(),
            (_, PinReset) => "Your PIN was reset.".to_string(),
            ("kk", CardBlocked) => "Карта бұғатталды; ID арқылы жалдауға болады.".to_string(),
            ("ru", CardBlocked) => "Карта заблокирована; прокат по ID доступен.".to_string(),
            (_, CardBlocked) => {
                "Your card is blocked; you can still rent with your ID.".to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r27_r12_riders_are_told_in_their_language() {
        let n = Notice::RentalEnded {
            minutes: 95,
            price: Tenge(250),
        };
        assert_eq!(
            n.text("kk"),
            "Қайтару ОК. Сау болыңыз. Сапар 95 мин, құны 250 ₸."
        );
        assert_eq!(
            n.text("en"),
            "Return OK. Goodbye. Trip 95 min, price 250 ₸."
        );
        assert!(n.text("ru").starts_with("Возврат ОК"));
    }
}
