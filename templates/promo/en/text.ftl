Hello,

this week only: everything you love, for less. Open the app to see your offer.

-- 
The Stream Routes team
(You receive offers because you subscribed to them; the unsubscribe link is in your mail program.)
