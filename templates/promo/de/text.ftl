Hallo,

nur diese Woche: alles, was Sie mögen, günstiger. Öffnen Sie die App, um Ihr Angebot zu sehen.

-- 
Ihr Stream-Routes-Team
(Sie erhalten Angebote, weil Sie sie abonniert haben; den Abmeldelink zeigt Ihr Mailprogramm.)
