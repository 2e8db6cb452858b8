Hello,

your account ${user_id} is ready. We are glad to have you with us.

-- 
The Stream Routes team
